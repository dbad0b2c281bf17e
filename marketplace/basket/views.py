"""Basket views: Oscar's, except that a rejected add-to-basket is a 400 that says why."""

from django.template.response import TemplateResponse
from oscar.apps.basket.views import *  # noqa: F401,F403  (Oscar's other basket views)
from oscar.apps.basket.views import BasketAddView as OscarBasketAddView


class BasketAddView(OscarBasketAddView):
    def form_invalid(self, form):
        # Oscar redirects back with a flash message; a tampered or impossible
        # quantity deserves a 4xx that nothing was added, with the reason.
        return TemplateResponse(
            self.request,
            "oscar/basket/add_rejected.html",
            {"product": self.product, "errors": form.errors},
            status=400,
        )

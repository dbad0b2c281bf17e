"""Basket views: Oscar's, except that a rejected add-to-basket is a 400 that says why,
and the basket page has no voucher form (vouchers are off: ``basket.offers``)."""

from django.template.response import TemplateResponse
from oscar.apps.basket.views import *  # noqa: F401,F403  (Oscar's other basket views)
from oscar.apps.basket.views import BasketAddView as OscarBasketAddView
from oscar.apps.basket.views import BasketView as OscarBasketView


class BasketView(OscarBasketView):
    def get_basket_voucher_form(self):
        # Oscar's template hides the voucher section when there is no form.
        return None


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

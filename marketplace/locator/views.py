"""
A page that searches from a place: ``LocatorMixin`` reads and validates the
visitor's origin and gives the template what ``locator/partials/origin_form.html``
needs. A view adds nearest-first results with ``selectors.nearest_first``:

    class ShopListView(LocatorMixin, TemplateView):
        template_name = "shops/list.html"

        def get_context_data(self, **kwargs):
            ctx = super().get_context_data(**kwargs)
            if self.origin:
                ctx["shops"] = nearest_first(Shop.objects.all(), self.origin.point, limit=20)
            return ctx

and its template includes the form: ``{% include "locator/partials/origin_form.html" %}``.
"""

from django.shortcuts import render

from .cities import listed_cities
from .coordinates import InvalidLocation
from .origins import UnknownCity, origin_from_query


class LocatorMixin:
    locator_error_template = "locator/bad_location.html"

    def get_locator_country(self) -> str:
        """The country whose cities are offered: the channel's, by default."""
        return self.request.channel.country.code

    def get_locator_keep(self) -> list[tuple[str, str]]:
        """Other query parameters the form sends again (e.g. the product searched for)."""
        return []

    def dispatch(self, request, *args, **kwargs):
        try:
            self.origin = origin_from_query(request.GET, self.get_locator_country())
        except InvalidLocation as error:
            status = 404 if isinstance(error, UnknownCity) else 400
            return render(
                request, self.locator_error_template,
                {"message": " ".join(error.messages), "locator_path": request.path},
                status=status,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["locator"] = {
            "origin": self.origin,
            "cities": listed_cities(self.get_locator_country()),
            "action": self.request.path,
            "keep": self.get_locator_keep(),
        }
        return ctx

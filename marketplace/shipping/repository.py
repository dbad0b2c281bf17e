"""The delivery methods a basket can use: its channel's options, express only where it goes."""

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods as oscar_methods
from oscar.apps.shipping import repository

from marketplace.delivery.models import DeliveryOption
from marketplace.delivery.rules import serves_city
from marketplace.delivery.selectors import delivery_data

from .methods import DeliveryMethod, ships_from_abroad
from .providers import provided_methods


class NotChosenYet(oscar_methods.Free):
    """Shown on the basket page when the channel has no delivery option to estimate with."""

    code = "not-chosen"
    name = _("Delivery is chosen at checkout")


class Repository(repository.Repository):
    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        methods = self.get_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)
        return methods[0] if methods else NotChosenYet()

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        channel = basket.channel
        if channel is None:
            return []
        provided = provided_methods(basket, shipping_addr)
        if provided is not None:
            return provided
        from_abroad = ships_from_abroad(basket)
        city = getattr(shipping_addr, "line4", "") if shipping_addr is not None else ""
        options, stations = self._delivery_data(basket, channel)
        methods = []
        for option in options:
            if option.kind == DeliveryOption.PICKUP:
                methods.extend(
                    DeliveryMethod(option, channel, station, from_abroad) for station in stations
                )
            elif option.kind == DeliveryOption.EXPRESS:
                if serves_city(option.cities, city):
                    methods.append(DeliveryMethod(option, channel, None, from_abroad))
            else:
                methods.append(DeliveryMethod(option, channel, None, from_abroad))
        return methods

    @staticmethod
    def _delivery_data(basket, channel):
        # Oscar's checkout asks for the methods several times per request; the basket
        # object lives for one request: one cache read per request.
        cached = getattr(basket, "_delivery_data", None)
        if cached is None or cached[0] != channel.pk:
            cached = basket._delivery_data = (channel.pk, *delivery_data(channel))
        return cached[1], cached[2]

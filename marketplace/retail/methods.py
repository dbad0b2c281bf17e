"""A partner shop's handovers as Oscar shipping methods: its own delivery, or its door."""

from django.utils.translation import gettext as _
from oscar.apps.shipping.methods import Free

from .models import RetailOrder


class ShopMethod(Free):
    """Delivered by the shop itself (contactless in an orange zone) or collected at its door.

    Free: the shop delivers in its own area. The code names the shop, so a method
    chosen for one shop never passes for another's.
    """

    def __init__(self, retailer, handover: str, *, contactless: bool = False):
        self.retailer, self.handover, self.contactless = retailer, handover, contactless
        suffix = "-contactless" if contactless else ""
        self.code = f"shop-{handover}-{retailer.pk}{suffix}"
        if handover == RetailOrder.PICKUP:
            self.name = _("Pickup at the door of %(shop)s") % {"shop": retailer.name}
            self.description = f"{retailer.address}, {retailer.city}"
        elif contactless:
            self.name = _("Contactless delivery by %(shop)s") % {"shop": retailer.name}
            self.description = _("Left at your door; you give the driver your delivery code.")
        else:
            self.name = _("Delivery by %(shop)s") % {"shop": retailer.name}
            self.description = _("You give the driver your delivery code.")

    @staticmethod
    def handover_of(code: str, retailer) -> str | None:
        """The handover a method code asks of ``retailer``; None if it is not that shop's."""
        for handover in (RetailOrder.DELIVERY, RetailOrder.PICKUP):
            prefix = f"shop-{handover}-{retailer.pk}"
            if code in (prefix, f"{prefix}-contactless"):
                return handover
        return None

    @staticmethod
    def is_shop_code(code: str) -> bool:
        return str(code or "").startswith("shop-")

    @staticmethod
    def is_contactless(code: str) -> bool:
        return str(code).endswith("-contactless")

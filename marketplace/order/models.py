"""
Orders belong to the channel they were placed in.

Every amount on an order is in the channel's currency and precision; the tax
is stored per component (Ghana: VAT, NHIL, GETFund) as it was on the day.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder


class Order(AbstractOrder):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="orders",
        verbose_name=_("channel"),
    )
    # One checkout attempt places at most one order, however often it is submitted.
    checkout_key = models.CharField(
        _("checkout key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # Oscar filters the discounts in SQL, once per question (three on the confirmation
    # page); when a page has loaded them (``prefetch_related("discounts")``) the loaded
    # ones are filtered instead.
    def _discounts(self, category):
        loaded = getattr(self, "_prefetched_objects_cache", {}).get("discounts")
        if loaded is None:
            return self.discounts.filter(category=category)
        return [discount for discount in loaded if discount.category == category]

    @property
    def basket_discounts(self):
        return self._discounts(self.discounts.model.BASKET)

    @property
    def shipping_discounts(self):
        return self._discounts(self.discounts.model.SHIPPING)

    @property
    def post_order_actions(self):
        return self._discounts(self.discounts.model.DEFERRED)


class Line(AbstractLine):
    # A line bought only with another (an extended warranty for a product line):
    # it takes no stock, and stock moves skip it (``stock_quantities``).
    parent_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="dependent_lines", verbose_name=_("for the line"),
    )


def stock_quantities(lines) -> list[tuple[int, int]]:
    """``(listing id, quantity)`` of the lines that took stock (dependent lines took none)."""
    return [
        (line.stockrecord_id, line.quantity)
        for line in lines
        if line.stockrecord_id and line.parent_line_id is None
    ]


class OrderTax(models.Model):
    """One tax component charged on an order."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="taxes", verbose_name=_("order")
    )
    name = models.CharField(_("name"), max_length=32)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("order tax")
        verbose_name_plural = _("order taxes")
        constraints = [
            models.UniqueConstraint(fields=("order", "name"), name="ordertax_one_per_component"),
        ]

    def __str__(self):
        return f"{self.name} {self.amount}"


from oscar.apps.order.models import *  # noqa: E402,F401,F403,I001

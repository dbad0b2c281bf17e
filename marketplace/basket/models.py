"""
Baskets belong to a channel: a shopper has one open basket per country, and a
basket never mixes currencies because every line's listing is in its channel.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket


class ForeignListing(ValueError):
    """A listing from another channel was put into a basket."""


class Basket(AbstractBasket):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, null=True, blank=True,
        related_name="baskets", verbose_name=_("channel"),
    )

    @property
    def currency(self):
        if self.channel_id:
            return self.channel.currency
        return super().currency

    def add_product(self, product, quantity=1, options=None):
        stock_info = self.strategy.fetch_for_product(product)
        record = stock_info.stockrecord
        if record is not None and self.channel_id and record.channel_id != self.channel_id:
            raise ForeignListing(product.pk)
        return super().add_product(product, quantity, options)

    add_product.alters_data = True


from oscar.apps.basket.models import *  # noqa: E402,F401,F403,I001

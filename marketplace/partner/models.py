"""
Sellers and listings.

An Oscar ``Partner`` is a seller; an official store is a seller that belongs to
a brand. An Oscar ``StockRecord`` is a *listing*: one product offered by one
seller in one channel, priced in that channel's currency.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord


class Partner(AbstractPartner):
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.PROTECT, null=True, blank=True,
        related_name="stores", verbose_name=_("brand"),
    )
    is_official_store = models.BooleanField(
        _("official store"), default=False,
        help_text=_("Run by the brand itself; its listings carry the Official Store badge."),
    )
    slug = models.SlugField(_("slug"), max_length=128, unique=True, null=True, blank=True)
    # A partner retailer's shop (marketplace.retail): its listings are sold only from the
    # shop's own page and go to the shop, never into the marketplace's catalogue.
    is_local_shop = models.BooleanField(
        _("local shop"), default=False, editable=False,
        help_text=_("A partner retailer: its listings are sold only from its own page."),
    )
    channels = models.ManyToManyField(
        "channels.Channel", blank=True, related_name="sellers", verbose_name=_("sells in")
    )

    class Meta(AbstractPartner.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(is_official_store=False) | Q(brand__isnull=False),
                name="partner_official_store_has_brand",
            ),
        ]


class StockRecord(AbstractStockRecord):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="listings",
        verbose_name=_("channel"),
    )
    is_live = models.BooleanField(
        _("live"), default=True, help_text=_("Only live listings are shown and sold.")
    )
    ships_from_abroad = models.BooleanField(
        _("ships from abroad"), default=False,
        help_text=_("Sent directly from the brand's factory country: delivery takes longer."),
    )

    class Meta(AbstractStockRecord.Meta):
        unique_together = ()
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(
                fields=("product", "partner", "channel"), name="listing_one_per_seller_channel"
            ),
            models.UniqueConstraint(
                fields=("partner", "partner_sku", "channel"), name="listing_unique_sku"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="listing_price_not_negative"
            ),
            # Stock is never oversold: whatever allocates must stay within stock.
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True)
                | (Q(num_allocated__gte=0) & Q(num_allocated__lte=F("num_in_stock"))),
                name="listing_allocated_within_stock",
            ),
        ]
        indexes = [models.Index(fields=("channel", "is_live", "product"))]

    def __str__(self):
        # Read in success messages, delete confirmations and the audit trail:
        # plain words rather than Oscar's "Partner: …, product: … (SKU)".
        return _("%(product)s by %(seller)s in %(channel)s") % {
            "product": self.product.get_title() if self.product_id else "–",
            "seller": self.partner.name if self.partner_id else "–",
            "channel": self.channel if self.channel_id else "–",
        }

    def save(self, *args, **kwargs):
        """Save the listing; on an update, never the allocated count it was loaded with.

        ``num_allocated`` moves only by conditional UPDATEs (``order.stock``)
        while orders are placed, shipped and cancelled: writing back the value
        read when this object was loaded would erase allocations committed
        since. A service that really means to set it names it in ``update_fields``.
        """
        # A listing's currency is its channel's; it is kept in Oscar's column
        # because Oscar's basket and order code read it from there.
        self.price_currency = self.channel.currency
        if not self._state.adding and kwargs.get("update_fields") is None and not (
            kwargs.get("force_insert") or args
        ):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "num_allocated"
            ]
        super().save(*args, **kwargs)


from oscar.apps.partner.models import *  # noqa: E402,F401,F403,I001

"""
Store pages, the brand a product belongs to, and what a channel's home features.

A *store* is a seller (an Oscar partner) seen by shoppers: its page at
``/<cc>/store/<slug>/`` shows its profile and what it sells in that channel.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.localisation.content import Translation


class StoreProfile(models.Model):
    """What a store's page shows besides its products: banner, logo, words."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="profile",
        verbose_name=_("store"),
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("In the base language; add other languages below."),
    )
    banner = models.ImageField(_("banner"), upload_to="stores/banners/", blank=True)
    logo = models.ImageField(_("logo"), upload_to="stores/logos/", blank=True)
    date_updated = models.DateTimeField(_("date updated"), auto_now=True)

    class Meta:
        verbose_name = _("store page")
        verbose_name_plural = _("store pages")

    def __str__(self):
        return str(self.partner)


class StoreProfileTranslation(Translation):
    parent = models.ForeignKey(
        StoreProfile, on_delete=models.CASCADE, related_name="translations",
        verbose_name=_("store page"),
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("store page translation")
        verbose_name_plural = _("store page translations")
        constraints = [
            models.UniqueConstraint(
                fields=("parent", "language"), name="storeprofiletranslation_one_per_language",
                violation_error_message=_("This page already has a text in that language."),
            ),
        ]

    def __str__(self):
        return f"{self.parent} ({self.language})"


class ProductBrand(models.Model):
    """
    The brand that makes a product: decides which brand manager edits it.

    Set on parent and standalone products; a variant belongs to its parent's
    brand. Kept outside Oscar's product table so the catalogue app need not
    be forked for one column.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="brand_link",
        verbose_name=_("product"),
    )
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.PROTECT, related_name="product_links",
        verbose_name=_("brand"),
    )

    class Meta:
        verbose_name = _("product brand")
        verbose_name_plural = _("product brands")

    def __str__(self):
        return f"{self.product} · {self.brand}"


class FeaturedProduct(models.Model):
    """A product a country operator puts on the channel's home page."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="featured_products",
        verbose_name=_("channel"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="featured_in",
        verbose_name=_("product"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("channel", "position", "pk")
        verbose_name = _("featured product")
        verbose_name_plural = _("featured products")
        constraints = [
            models.UniqueConstraint(
                fields=("channel", "product"), name="featuredproduct_once_per_channel",
                violation_error_message=_("This product is already featured in this channel."),
            ),
        ]

    def __str__(self):
        return f"{self.product} ({self.channel.code.upper()})"

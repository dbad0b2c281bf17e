"""
Store pages, the brand a product belongs to, and what a channel's home features
(featured products, hero banners).

A *store* is a seller (an Oscar partner) seen by shoppers: its page at
``/<cc>/store/<slug>/`` shows its profile and what it sells in that channel.
"""

from django.core.validators import RegexValidator
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


class HeroBanner(models.Model):
    """A banner at the top of a channel's home page, chosen by its country operators.

    Its words are in the channel's default language here, in others as translations
    (shown in the shopper's language, then the channel's default). Shown while active and
    between its dates; the first by position leads the page.
    """

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="hero_banners",
        verbose_name=_("channel"),
    )
    title = models.CharField(_("title"), max_length=120)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    link = models.CharField(
        _("link"), max_length=200, blank=True,
        help_text=_("A page of this storefront, from after the country: store/mi-official-store/"),
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9/_\-]*$", _("A path such as stores/ or store/mi-official-store/."))],
    )
    image = models.ImageField(
        _("image"), upload_to="stores/heroes/", blank=True,
        help_text=_("Wide, about 12:5 (1200 × 500 pixels); shown in WebP at the phone's size."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ("channel", "position", "pk")
        verbose_name = _("hero banner")
        verbose_name_plural = _("hero banners")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="herobanner_ends_after_it_starts",
                violation_error_message=_("A banner ends after it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class HeroBannerTranslation(Translation):
    parent = models.ForeignKey(
        HeroBanner, on_delete=models.CASCADE, related_name="translations",
        verbose_name=_("hero banner"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hero banner translation")
        verbose_name_plural = _("hero banner translations")
        constraints = [
            models.UniqueConstraint(
                fields=("parent", "language"), name="herobannertranslation_one_per_language",
                violation_error_message=_("This banner already has a text in that language."),
            ),
        ]

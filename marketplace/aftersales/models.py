"""
Extended warranty plans, and the plans bought with basket and order lines.

A plan is sold in one channel, by a brand (its official stores sell it) or by
the marketplace (no brand). It covers products named one by one, or whole
categories (their subcategories included). Its price is fixed, or a
percentage of the product's price before tax, rounded to the channel's
currency (``pricing``); it is taxed like any line.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.channels.money import has_valid_precision, quantize
from marketplace.localisation.content import Translation, translated
from marketplace.locator.models import Located, located_constraints, located_index

from . import pricing, repair_rules


class WarrantyPlan(models.Model):
    FIXED, PERCENTAGE = pricing.FIXED, pricing.PERCENTAGE
    PRICINGS = [(FIXED, _("Fixed price")), (PERCENTAGE, _("Percentage of the product's price"))]

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="warranty_plans",
        verbose_name=_("channel"),
    )
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, null=True, blank=True,
        related_name="warranty_plans", verbose_name=_("brand"),
        help_text=_("Empty: a plan of the marketplace."),
    )
    name = models.CharField(_("name"), max_length=128)
    terms = models.TextField(_("terms"), blank=True)
    months = models.PositiveSmallIntegerField(
        _("extra months of cover"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    after_months = models.PositiveSmallIntegerField(
        _("maker's warranty, in months"), default=12, validators=[MaxValueValidator(60)],
        help_text=_("The plan's cover starts when the maker's own warranty ends."),
    )
    pricing = models.CharField(_("pricing"), max_length=16, choices=PRICINGS, default=FIXED)
    amount = models.DecimalField(
        _("price before tax, or percentage"), max_digits=12, decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("A fixed price in the channel's currency, or a percentage (10 for 10 %)."),
    )
    products = models.ManyToManyField(
        "catalogue.Product", blank=True, related_name="warranty_plans", verbose_name=_("products covered")
    )
    categories = models.ManyToManyField(
        "catalogue.Category", blank=True, related_name="warranty_plans",
        verbose_name=_("categories covered"), help_text=_("Their subcategories are covered too."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("channel", "position", "months", "pk")
        verbose_name = _("warranty plan")
        verbose_name_plural = _("warranty plans")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="warrantyplan_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(pricing="percentage") | Q(amount__lte=100),
                name="warrantyplan_percentage_at_most_100",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="warrantyplan_some_cover"),
        ]

    def __str__(self):
        return f"{self.channel.code.upper()} {self.name}"

    def clean(self):
        if self.pricing == self.PERCENTAGE and self.amount is not None and self.amount > 100:
            raise ValidationError({"amount": _("A percentage cannot be more than 100.")})
        currency = self.channel.currency if self.channel_id else None
        if (self.pricing == self.FIXED and currency and self.amount is not None
                and not has_valid_precision(self.amount, currency)):
            raise ValidationError({"amount": _("%(currency)s amounts cannot have that many decimals.")
                                   % {"currency": currency}})

    def name_in(self, languages) -> str:
        return translated(self, "name", languages)

    def terms_in(self, languages) -> str:
        return translated(self, "terms", languages)

    @property
    def duration(self) -> str:
        if self.months % 12 == 0:
            years = self.months // 12
            return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
        return ngettext("%(count)d month", "%(count)d months", self.months) % {"count": self.months}


class WarrantyPlanTranslation(Translation):
    parent = models.ForeignKey(WarrantyPlan, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=128)
    terms = models.TextField(_("terms"), blank=True)

    class Meta:
        verbose_name = _("warranty plan translation")
        verbose_name_plural = _("warranty plan translations")
        constraints = [
            models.UniqueConstraint(fields=("parent", "language"), name="warrantyplan_one_per_language")
        ]


class BasketWarranty(models.Model):
    """The plan a basket line (tied to its product line) is for."""

    line = models.OneToOneField(
        "basket.Line", on_delete=models.CASCADE, related_name="warranty", verbose_name=_("basket line")
    )
    plan = models.ForeignKey(WarrantyPlan, on_delete=models.CASCADE, related_name="basket_lines",
                             verbose_name=_("warranty plan"))

    class Meta:
        verbose_name = _("warranty in a basket")
        verbose_name_plural = _("warranties in baskets")

    def __str__(self):
        return f"{self.plan} · {self.line_id}"


class OrderWarranty(models.Model):
    """A plan bought: its order line, its product's line, and the cover as sold."""

    line = models.OneToOneField(
        "order.Line", on_delete=models.CASCADE, related_name="warranty", verbose_name=_("order line")
    )
    product_line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="warranties", verbose_name=_("product line")
    )
    plan = models.ForeignKey(WarrantyPlan, on_delete=models.PROTECT, related_name="order_lines",
                             verbose_name=_("warranty plan"))
    months = models.PositiveSmallIntegerField(_("extra months of cover"))
    after_months = models.PositiveSmallIntegerField(_("maker's warranty, in months"), default=12)

    class Meta:
        verbose_name = _("warranty bought")
        verbose_name_plural = _("warranties bought")

    def __str__(self):
        return f"{self.plan} · {self.line_id}"


class Device(models.Model):
    """One covered unit of a warranty bought, registered by IMEI or serial number.

    A warranty for two phones registers two devices (``unit`` 1 and 2); an
    IMEI is registered once, whatever the order (database constraints), until
    the device is returned: then it is voided, and its next owner registers it again.
    """

    warranty = models.ForeignKey(OrderWarranty, on_delete=models.PROTECT, related_name="devices",
                                 verbose_name=_("warranty"))
    unit = models.PositiveSmallIntegerField(_("unit"))
    imei = models.CharField(_("IMEI"), max_length=15, null=True, blank=True)
    serial = models.CharField(_("serial number"), max_length=40, null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"))
    starts_on = models.DateField(_("cover starts on"))
    ends_on = models.DateField(_("cover ends on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("registered by"),
    )
    date_created = models.DateTimeField(_("registered"), auto_now_add=True)
    # Sent back (a return received): no longer covered, and its IMEI free for its next owner.
    voided_at = models.DateTimeField(_("voided (returned) at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("warranty", "unit")
        verbose_name = _("registered device")
        verbose_name_plural = _("registered devices")
        constraints = [
            models.UniqueConstraint(fields=("warranty", "unit"), name="device_one_per_warranty_unit"),
            models.UniqueConstraint(
                fields=("imei",), condition=Q(imei__isnull=False, voided_at__isnull=True),
                name="device_imei_registered_once",
                violation_error_message=_("This IMEI is already registered."),
            ),
            models.UniqueConstraint(
                fields=("warranty", "serial"), condition=Q(serial__isnull=False),
                name="device_serial_once_per_warranty",
            ),
            models.CheckConstraint(
                condition=Q(imei__isnull=False, serial__isnull=True) | Q(imei__isnull=True, serial__isnull=False),
                name="device_imei_or_serial",
            ),
            models.CheckConstraint(condition=Q(unit__gte=1), name="device_unit_from_one"),
        ]

    def __str__(self):
        return self.imei or self.serial


class ServiceCentre(Located):
    """An authorised service centre in a channel's country: repairs and warranty claims."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="service_centres",
                                verbose_name=_("channel"))
    name = models.CharField(_("name"), max_length=128)
    address = models.CharField(_("address"), max_length=255)
    city = models.CharField(_("city"), max_length=128)
    phone = models.CharField(_("phone"), max_length=32)
    hours = models.CharField(_("opening hours"), max_length=128,
                             help_text=_("In the channel's time zone, for example: Mon–Sat 9:00–18:00."))
    services = models.CharField(_("services"), max_length=255,
                                help_text=_("For example: screen and battery repairs, warranty claims."))
    brands = models.ManyToManyField("brands.Brand", blank=True, related_name="service_centres",
                                    verbose_name=_("brands served"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("channel", "city", "name")
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        indexes = [located_index("channel", "is_active", name="servicecentre_located")]
        constraints = located_constraints("servicecentre")

    def __str__(self):
        return f"{self.name} ({self.city})"


class ServiceCentreTranslation(Translation):
    parent = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=128)
    hours = models.CharField(_("opening hours"), max_length=128, blank=True)
    services = models.CharField(_("services"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("parent", "language"), name="servicecentre_one_per_language")
        ]


class RepairBooking(models.Model):
    """A repair or warranty claim booked by a shopper for a registered device at a service centre."""

    STATUSES = list(repair_rules.LABELS.items())
    PAYERS = [(repair_rules.WARRANTY, _("The warranty")), (repair_rules.SHOPPER, _("The shopper"))]

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("device"))
    centre = models.ForeignKey(ServiceCentre, on_delete=models.PROTECT, related_name="bookings",
                               verbose_name=_("service centre"))
    fault = models.TextField(_("fault"), max_length=2000)
    preferred_day = models.DateField(_("preferred day"))
    status = models.CharField(_("status"), max_length=24, choices=STATUSES, default=repair_rules.REQUESTED)
    in_cover = models.BooleanField(_("in cover when booked"), editable=False)
    payer = models.CharField(_("paid by"), max_length=16, choices=PAYERS, editable=False)
    quote = models.DecimalField(_("quote"), max_digits=12, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    quote_accepted = models.BooleanField(_("quote accepted"), default=False, editable=False)
    # Each quote entered is a new version: the shopper accepts the version (and amount)
    # their page showed, never one the centre changed since.
    quote_version = models.PositiveIntegerField(_("quote version"), default=0, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, editable=False)
    # The last step the shopper was told about: a notification task run twice tells once.
    notified = models.CharField(_("last step notified"), max_length=24, blank=True, editable=False)
    date_created = models.DateTimeField(_("booked"), auto_now_add=True)
    date_updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("repair booking")
        verbose_name_plural = _("repair bookings")
        constraints = [
            models.CheckConstraint(condition=Q(quote__isnull=True) | Q(quote__gte=0), name="booking_quote_not_negative"),
            models.CheckConstraint(condition=Q(quote_accepted=False) | Q(quote__isnull=False),
                                   name="booking_accepted_quote_exists"),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        # The last guard for a quote written past the form (a service, a shell): never
        # more decimals than the currency has (XOF: none).
        if self.quote is not None and self.centre_id:
            self.quote = quantize(self.quote, self.currency)
        super().save(*args, **kwargs)

    @property
    def currency(self) -> str:
        return self.centre.channel.currency

    def clean(self):
        if self.quote is not None and self.centre_id and not has_valid_precision(self.quote, self.currency):
            raise ValidationError({"quote": quote_precision_message(self.currency)})


def quote_precision_message(currency: str) -> str:
    return _("%(currency)s amounts cannot have that many decimals.") % {"currency": currency}

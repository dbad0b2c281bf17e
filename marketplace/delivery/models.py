"""Delivery options per channel, managed as data by the channel's operators."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import has_valid_precision
from marketplace.localisation.content import Translation


class DeliveryOption(models.Model):
    HOME, PICKUP, EXPRESS = "home", "pickup", "express"
    KINDS = [
        (HOME, _("Home delivery")),
        (PICKUP, _("Pickup station")),
        (EXPRESS, _("Express delivery")),
    ]

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="delivery_options",
        verbose_name=_("channel"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS)
    name = models.CharField(_("name"), max_length=128)
    price = models.DecimalField(
        _("price before tax"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    free_above = models.DecimalField(
        _("free from a basket of"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Basket total (tax included) from which delivery is free. Empty: never free."),
    )
    min_days = models.PositiveSmallIntegerField(_("fastest, in days"), default=1)
    max_days = models.PositiveSmallIntegerField(_("slowest, in days"), default=3)
    abroad_extra_days = models.PositiveSmallIntegerField(
        _("extra days from abroad"), default=7,
        help_text=_("Added when an item ships from the brand's factory country."),
    )
    cities = models.JSONField(
        _("cities served"), default=list, blank=True,
        help_text=_("Express only: the cities it reaches, e.g. [\"Lagos\", \"Abuja\"]."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("channel", "position", "pk")
        verbose_name = _("delivery option")
        verbose_name_plural = _("delivery options")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="delivery_price_not_negative"),
            models.CheckConstraint(
                condition=Q(max_days__gte=models.F("min_days")), name="delivery_days_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.channel.code.upper()} {self.name}"

    def clean(self):
        errors = {}
        currency = self.channel.currency if self.channel_id else None
        for field in ("price", "free_above"):
            value = getattr(self, field)
            if currency and value is not None and not has_valid_precision(value, currency):
                errors[field] = _("%(currency)s amounts cannot have that many decimals.") % {
                    "currency": currency
                }
        if self.kind == self.EXPRESS and not self.cities:
            errors["cities"] = _("List the cities express delivery reaches.")
        if not isinstance(self.cities, list):
            errors["cities"] = _("Give the cities as a list.")
        if errors:
            raise ValidationError(errors)


class DeliveryOptionTranslation(Translation):
    parent = models.ForeignKey(DeliveryOption, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("parent", "language"), name="deliveryoption_one_per_language")
        ]


class PickupStation(models.Model):
    """A place in a channel's country where shoppers collect their orders."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="pickup_stations",
        verbose_name=_("channel"),
    )
    name = models.CharField(_("name"), max_length=128)
    address = models.CharField(_("address"), max_length=255)
    city = models.CharField(_("city"), max_length=128)
    opening_hours = models.CharField(_("opening hours"), max_length=128)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("channel", "city", "name")
        verbose_name = _("pickup station")
        verbose_name_plural = _("pickup stations")

    def __str__(self):
        return f"{self.name} ({self.city})"


class PickupStationTranslation(Translation):
    parent = models.ForeignKey(PickupStation, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=128)
    opening_hours = models.CharField(_("opening hours"), max_length=128, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("parent", "language"), name="pickupstation_one_per_language")
        ]

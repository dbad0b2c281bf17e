"""A channel is one country storefront: its currency, languages, timezone and taxes."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import money, tax
from .locale_names import country_name


def validate_currency(value):
    try:
        money.ensure_currency(value)
    except money.UnknownCurrency:
        raise ValidationError(
            _("%(code)s is not a known ISO 4217 currency code."), params={"code": value}
        ) from None


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(tz)s is not a known time zone."), params={"tz": value})


def _language_codes():
    return {code for code, _name in settings.LANGUAGES}


def validate_languages(value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give the languages as a list of language codes."))
    unknown = sorted(set(value) - _language_codes())
    if unknown:
        raise ValidationError(
            _("Languages not offered by the marketplace: %(codes)s."),
            params={"codes": ", ".join(unknown)},
        )


class ChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Channel(models.Model):
    """
    One country's storefront, served under ``/<country code>/``.

    Everything a shopper there sees is decided by it: the currency prices are
    entered and shown in, the languages offered, the timezone of dates and the
    tax added to prices. Adding a country is adding a row.
    """

    country = CountryField(_("country"), unique=True)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency],
        help_text=_("ISO 4217 code; prices in this channel are entered in it."),
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES
    )
    other_languages = models.JSONField(
        _("other languages"), default=list, blank=True, validators=[validate_languages],
        help_text=_("Further language codes shoppers may switch to, e.g. [\"sw\"]."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_timezone]
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ("position", "country")
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="channel_currency_iso_4217",
            ),
        ]

    def __str__(self):
        # "Nigeria (NGN)" in the reader's language: codes alone read alike
        # (two payment options of NG and GH), and names are what people scan.
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return f"{country_name(self.country.code, language)} ({self.currency})"

    @property
    def code(self) -> str:
        """The lower-case URL code: ``ng``, ``ci``.

        Read from the stored alpha-2 value: ``self.country`` builds a ``Country`` (and
        looks the code up in django-countries' tables) on every access, and ``code`` is
        read many times a request (URLs, cache keys, page versions).
        """
        stored = self.__dict__.get("country")
        if isinstance(stored, str) and len(stored) == 2:
            return stored.lower()
        return str(self.country.code).lower()  # deferred, or set as alpha-3 / numeric

    @property
    def languages(self) -> list[str]:
        """Languages offered, the default first."""
        return [self.default_language] + [
            lang for lang in self.other_languages if lang != self.default_language
        ]

    def offers_language(self, language: str) -> bool:
        return language in self.languages

    def locale(self, language: str | None = None):
        """The Babel locale for a language in this country (``fr_CI``)."""
        return money.babel_locale(language or self.default_language, self.country.code)

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self):
        return timezone.localdate(timezone=self.tzinfo)

    def clean(self):
        if self.default_language in (self.other_languages or []):
            raise ValidationError(
                {"other_languages": _("The default language is already offered.")}
            )
        self.currency = (self.currency or "").upper()

    # Tax: rates are prefetched into the cached channel (see selectors).
    def tax_rates(self) -> list[tax.Rate]:
        cached = getattr(self, "_tax_rates", None)
        if cached is None:
            cached = [c.as_rate() for c in self.tax_components.all()]
            self._tax_rates = cached
        return cached

    def tax_rate(self, on=None) -> Decimal:
        """The sum of the tax components in force on ``on`` (today by default)."""
        return tax.total_rate(self.tax_rates(), on or self.today())


class TaxComponent(models.Model):
    """A tax added to prices in a channel, at a rate that applies from a date."""

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="tax_components",
        verbose_name=_("channel"),
    )
    name = models.CharField(_("name"), max_length=32, help_text=_("e.g. VAT, NHIL"))
    rate = models.DecimalField(
        _("rate"), max_digits=6, decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("As a fraction: 0.075 for 7.5%."),
    )
    starts_on = models.DateField(_("applies from"))

    class Meta:
        ordering = ("channel", "name", "starts_on")
        verbose_name = _("tax component")
        verbose_name_plural = _("tax components")
        constraints = [
            models.UniqueConstraint(
                fields=("channel", "name", "starts_on"), name="taxcomponent_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=1), name="taxcomponent_rate_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.rate:%} ({self.starts_on})"

    def as_rate(self) -> tax.Rate:
        return tax.Rate(name=self.name, rate=self.rate, starts_on=self.starts_on)

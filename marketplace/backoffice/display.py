"""How the back office shows amounts and stock: with the currency, with warnings."""

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from marketplace.channels import tax
from marketplace.channels.money import format_money


def low_stock_threshold() -> int:
    """Below this many units a listing is flagged, unless it sets its own threshold."""
    return settings.BACKOFFICE_LOW_STOCK


def money(amount, channel, currency: str | None = None) -> str:
    """``amount`` of ``channel`` (in its currency unless told), for the back-office user.

    The one way every admin column shows money: in the locale made of the
    admin's active language and the channel's country (``fr`` + ``CI`` is
    ``fr_CI``), as ``channels.money.format_money`` builds it. Not the
    channel's default language: an Arabic-speaking admin reads Nigerian
    prices in Arabic, like the rest of the page.
    """
    currency = currency or channel.currency
    if amount is None or not currency:
        return "–"
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return format_money(amount, currency, language, channel.country.code)


def shelf_price(amount_excl, channel):
    """What a shopper in ``channel`` pays for a price entered before tax, today.

    The strategy's own arithmetic (``channels.tax.price_parts``), so the back
    office never shows a figure the storefront would not charge. The channel's
    tax components are read once per channel instance (prefetch
    ``channel__tax_components`` on a change list).
    """
    if amount_excl is None:
        return None
    excl, tax_due = tax.price_parts(amount_excl, channel.tax_rate(), channel.currency)
    return excl + tax_due


def tax_label(channel) -> str:
    """The channel's taxes in force today, named: "VAT 7.5%", "VAT 15% + NHIL 2.5%"."""
    rates = tax.rates_in_force(channel.tax_rates(), channel.today())
    if not rates:
        return _("no tax")
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    from babel.numbers import format_percent

    return " + ".join(
        f"{rate.name} {format_percent(rate.rate, format='#,##0.##%', locale=language)}"
        for rate in rates
    )


def shelf_price_text(amount_excl, channel) -> str:
    """"₦10,750.00 with VAT 7.5%": the shelf price beside a price entered before tax."""
    if amount_excl is None:
        return "–"
    return _("%(price)s with %(tax)s") % {
        "price": money(shelf_price(amount_excl, channel), channel),
        "tax": tax_label(channel),
    }


def stock_status(listing) -> str:
    """``out``, ``low`` or ``ok`` for a listing's stock net of allocations."""
    if listing.num_in_stock is None:
        return "ok"
    available = listing.num_in_stock - (listing.num_allocated or 0)
    if available <= 0:
        return "out"
    threshold = listing.low_stock_threshold or low_stock_threshold()
    return "low" if available < threshold else "ok"


def stock_level_condition(level: str) -> Q:
    """``stock_status`` as a filter on listings: ``out`` or ``low`` (``ok`` is neither).

    The stock list filter and the admin index count with this, so a figure and
    the list it links to hold the same listings. Listings that track no stock
    (``num_in_stock`` empty) are never out or low, as in ``stock_status``; a
    threshold of 0 means the default one there, so here too.
    """
    available = F("num_in_stock") - Coalesce(F("num_allocated"), 0)
    if level == "out":
        return Q(LessThanOrEqual(available, 0))
    if level == "low":
        threshold = Coalesce(NullIf(F("low_stock_threshold"), 0), Value(low_stock_threshold()))
        return Q(GreaterThan(available, 0)) & Q(LessThan(available, threshold))
    raise ValueError(level)


def stock_cell(listing):
    available = None
    if listing.num_in_stock is not None:
        available = listing.num_in_stock - (listing.num_allocated or 0)
    status = stock_status(listing)
    if status == "out":
        return format_html(
            '<strong class="stock-out" style="color:#ba2121">⚠ {} · {}</strong>',
            available, _("Out of stock"),
        )
    if status == "low":
        return format_html(
            '<strong class="stock-low" style="color:#b35900">⚠ {} · {}</strong>',
            available, _("Low stock"),
        )
    return "–" if available is None else str(available)

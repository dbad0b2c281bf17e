"""
Money rules: precision from CLDR, rounding, and locale-aware formatting.

Pure functions over ``Decimal`` and ISO 4217 codes; nothing here knows about
requests or models. The number of minor units comes from Babel's CLDR data
(XOF has none, NGN has two), never from a table of our own.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, is_currency


class UnknownCurrency(ValueError):
    """An ISO 4217 code CLDR does not know."""


class InvalidAmount(ValueError):
    """Text that came in as an amount and is not a plain, finite, non-negative decimal."""


# Plain ASCII digits only: ``Decimal()`` itself also takes "sNaN", "Infinity",
# "1E+999999" and Arabic-Indic digits, each of which either breaks arithmetic
# later (InvalidOperation) or is not something a form or a provider sends.
_AMOUNT_INPUT = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?", re.ASCII)


def parse_amount(value) -> Decimal:
    """An amount received from outside (a posted form, a provider's notification).

    The one door for amounts typed, posted or sent to us: at most 15 integer
    and 6 fractional digits, no sign, exponent, NaN or infinity. Raises
    ``InvalidAmount`` for anything else, so callers answer with a 4xx.
    """
    if not isinstance(value, str):
        raise InvalidAmount(f"not text: {type(value).__name__}")
    text = value.strip()
    if not _AMOUNT_INPUT.fullmatch(text):
        raise InvalidAmount(f"not a plain decimal amount: {text[:40]!r}")
    return Decimal(text)


def ensure_currency(code: str) -> str:
    code = (code or "").upper()
    if len(code) != 3 or not is_currency(code):
        raise UnknownCurrency(code)
    return code


def currency_precision(currency: str) -> int:
    """How many minor-unit digits ``currency`` has, per CLDR (XOF: 0, NGN: 2)."""
    return get_currency_precision(ensure_currency(currency))


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


def quantize(amount, currency: str) -> Decimal:
    """``amount`` rounded half-up to the currency's smallest unit."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def has_valid_precision(amount: Decimal, currency: str) -> bool:
    """True if ``amount`` needs no rounding in ``currency`` (XOF 1500.50 does)."""
    return quantize(amount, currency) == amount


def babel_locale(language: str, country: str | None = None) -> Locale:
    """
    The CLDR locale for a language in a country (``fr`` + ``CI`` → ``fr_CI``).

    Falls back to the bare language where CLDR has no such combination, so a
    new channel never breaks formatting.
    """
    if country:
        try:
            return Locale.parse(f"{language}_{country.upper()}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(language)


def format_money(amount, currency: str, language: str, country: str | None = None) -> str:
    """Format an amount as shoppers of ``language`` in ``country`` expect it."""
    return format_currency(
        quantize(amount, currency), ensure_currency(currency), locale=babel_locale(language, country)
    )

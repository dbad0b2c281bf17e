"""
Money formatting for templates, replacing Oscar's ``currency_filters``.

Oscar formats with the active language alone; a price must be formatted for the
language *and* the country (``fr_CI`` and ``fr`` differ), and rounded to the
currency's CLDR precision.
"""

import logging
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils import translation

from ..context import get_current_channel
from ..money import UnknownCurrency, format_money

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter(name="currency")
def currency(value, currency_code=None):
    """``{{ price|currency:"NGN" }}``; without a code, the current channel's currency."""
    channel = get_current_channel()
    code = currency_code or (channel.currency if channel else None)
    if value is None or value == "" or not code:
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    country = channel.country.code if channel else None
    try:
        return format_money(amount, code, language, country)
    except UnknownCurrency:
        logger.error("Amount %s in unknown currency %r", amount, code)
        return f"{amount} {code}"

"""
Dates and times as the shopper reads them: in the channel's timezone, in the
language *and* country's CLDR format (``fr_CI``, ``ar_EG``, ``sw_KE``).

Pure functions over a datetime, a timezone and a Babel locale; templates use
the ``local_datetime`` / ``local_date`` / ``local_time`` filters of the
``localisation`` template library, which take both from the current channel.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time

UTC = ZoneInfo("UTC")


def _aware(value: dt.datetime) -> dt.datetime:
    # Django stores UTC (USE_TZ); a naive value here can only be UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_datetime(value, *, tzinfo, locale: Locale, format: str = "medium") -> str:
    """``value`` as a date and time in ``tzinfo``, formatted for ``locale``."""
    if not isinstance(value, dt.datetime):
        return local_date(value, tzinfo=tzinfo, locale=locale, format=format)
    return format_datetime(_aware(value), format=format, tzinfo=tzinfo, locale=locale)


def local_date(value, *, tzinfo, locale: Locale, format: str = "medium") -> str:
    """The calendar date of ``value`` in ``tzinfo`` (a UTC instant may be the next day)."""
    if isinstance(value, dt.datetime):
        value = _aware(value).astimezone(tzinfo).date()
    return format_date(value, format=format, locale=locale)


def local_time(value: dt.datetime, *, tzinfo, locale: Locale, format: str = "short") -> str:
    return format_time(_aware(value), format=format, tzinfo=tzinfo, locale=locale)

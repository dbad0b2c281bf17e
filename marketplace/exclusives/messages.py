"""What shoppers and back-office users are told about an exclusive, in a channel's time."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from marketplace.channels.locale_names import country_name
from marketplace.localisation.dates import local_datetime


def _language(channel) -> str:
    language = (get_language() or "").split("-")[0]
    return language if channel.offers_language(language) else channel.default_language


def when(value, channel) -> str:
    """A moment as the channel reads it: its timezone, its language and country's format."""
    return local_datetime(
        value, tzinfo=channel.tzinfo, locale=channel.locale(_language(channel)), format="medium"
    )


def sold_only_by(*, product_title, rule, channel) -> str:
    """``“X” is sold only by S in Nigeria until …`` (or with no end date)."""
    params = {
        "product": product_title,
        "store": rule.store_name,
        "country": country_name(channel.country.code, _language(channel)),
    }
    if rule.ends_at is None:
        return _("“%(product)s” is sold only by %(store)s in %(country)s, with no end date.") % params
    params["end"] = f"{when(rule.ends_at, channel)} ({channel.timezone})"
    return _("“%(product)s” is sold only by %(store)s in %(country)s until %(end)s.") % params


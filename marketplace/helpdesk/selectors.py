"""What the help page shows: the channel's help desk, its hours, the answers to common questions."""

from babel.dates import format_time, get_timezone_name

from marketplace.delivery.models import DeliveryOption
from marketplace.localisation.content import translated

from .models import HelpDesk


def help_desk(channel):
    return HelpDesk.objects.filter(channel=channel).prefetch_related("translations").first()


def opening_hours(desk, *, channel, language, languages) -> dict:
    """Days and hours in the channel's time zone, formatted for the channel's locale."""
    locale = channel.locale(language)
    return {
        "days": translated(desk, "days", languages),
        "opens": format_time(desk.opens_at, format="short", locale=locale),
        "closes": format_time(desk.closes_at, format="short", locale=locale),
        "zone": get_timezone_name(channel.tzinfo, width="long", locale=locale),
    }


def delivery_times(channel) -> list[DeliveryOption]:
    return list(DeliveryOption.objects.filter(channel=channel, is_active=True).order_by("position", "pk"))

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


def order_aftercare(order, *, today) -> dict:
    """What the shopper's order page shows after the sale: returns, refunds, help requests."""
    from marketplace.aftersales.devices import delivered_on
    from marketplace.payments.models import Refund

    from .models import HelpRequest, ReturnRequest
    from .returns import return_window_days, returnable_lines
    from .services import access_token

    delivered = delivered_on(order)
    window = return_window_days(order.channel)
    open_window = delivered is not None and (today - delivered).days <= window
    help_requests = list(HelpRequest.objects.filter(order=order).prefetch_related("messages"))
    for help_request in help_requests:
        help_request.token = access_token(help_request)
        help_request.replies = sum(1 for message in help_request.messages.all() if message.from_agent)
    return {
        "returns": list(ReturnRequest.objects.filter(order=order).select_related("line", "refund")),
        "refunds": list(Refund.objects.filter(order=order)),
        "returnable": [line for line in returnable_lines(order) if line.returnable > 0] if open_window else [],
        "delivered_on": delivered,
        "window_days": window,
        "help_requests": help_requests,
    }

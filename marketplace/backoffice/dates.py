"""
Moments in the back office: in the object's channel's time zone, in the admin's language.

An order placed at 23:30 UTC was placed the next day in Lagos: the people who
run Nigeria read it as Lagos time, labelled so, whatever language they read
the admin in. ``local_datetime`` formats one moment that way (CLDR, through
Babel); ``channel_date_filter`` gives a change list "Today" and "This week"
filters that start at each channel's own midnight (the dashboard's periods,
``periods.today`` and ``periods.this_week``).

A new admin with a date and a channel uses both::

    list_display = ("name", "starts")
    list_filter = (channel_date_filter("starts_at"),)

    @admin.display(description=_("starts"), ordering="starts_at")
    def starts(self, sale):
        return local_datetime(sale.starts_at, sale.channel)
"""

from datetime import UTC

from babel.dates import format_datetime, get_timezone_gmt, get_timezone_location
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace.channels.models import Channel
from marketplace.channels.money import babel_locale
from marketplace.channels.selectors import active_channels
from marketplace.memberships.selectors import request_scope

from . import periods


def admin_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def local_datetime(moment, channel, *, with_zone: bool = True) -> str:
    """``moment`` as the channel's clocks showed it, in the admin's language.

    "Dec 3, 2026, 12:30:00 AM (Nigeria Time)"; "3 déc. 2026, 00:30:00 (heure : Nigeria)".
    """
    if moment is None:
        return "–"
    locale = babel_locale(admin_language())
    text = format_datetime(moment, "medium", tzinfo=channel.tzinfo, locale=locale)
    if not with_zone:
        return text
    return f"{text} ({get_timezone_location(channel.tzinfo, locale=locale)})"


PERIODS = {
    "today": (_("Today"), periods.today),
    "week": (_("This week"), periods.this_week),
}


def within(field_name: str, channel_path: str, which: str, channels, now=None) -> Q:
    """``field_name`` inside each channel's ``which`` period, as a filter on the model."""
    now = now or timezone.now()
    make = PERIODS[which][1]
    condition = Q(pk__in=[])
    for channel in channels:
        period = make(channel.tzinfo, now)
        condition |= Q(**{
            channel_path: channel.pk,
            f"{field_name}__gte": period.start,
            f"{field_name}__lt": period.end,
        })
    return condition


def channel_date_filter(field_name: str, channel_path: str = "channel", title=None):
    """A list filter on ``field_name`` whose "Today" starts at each channel's midnight."""

    class ChannelDateFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_in"

        def lookups(self, request, model_admin):
            return [(key, label) for key, (label, _make) in PERIODS.items()]

        def queryset(self, request, queryset):
            if self.value() not in PERIODS:
                return queryset
            channels = Channel._default_manager.only("pk", "timezone")
            return queryset.filter(within(field_name, channel_path, self.value(), channels))

    ChannelDateFilter.title = title or _("date (the country's own time)")
    ChannelDateFilter.__name__ = f"ChannelDateFilter_{field_name}"
    return ChannelDateFilter


# The user's working time zone ---------------------------------------------------------
#
# Django's own date tools in the admin (the date hierarchy, "Today" of a date filter,
# dates in lists and forms) use the current time zone. A user whose memberships all lie
# in one channel works in that channel's: the admin site activates it for their
# requests (``sites.BackOfficeSite.admin_view``); everyone else works in UTC. The
# header says which (``zone_label``).


def working_channel(request) -> Channel | None:
    """The one channel all of the user's memberships lie in, or None (superusers too)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    channel_id = request_scope(request).only_channel_id
    if channel_id is None:
        return None
    # The active channels come from the shared cache: no query on a warm page.
    for channel in active_channels():
        if channel.pk == channel_id:
            return channel
    return Channel._default_manager.filter(pk=channel_id).first()


def working_timezone(request):
    channel = working_channel(request)
    return channel.tzinfo if channel is not None else UTC


def zone_label(tz=None) -> str:
    """"Times: Kenya Time (GMT+03:00)", or "Times: UTC", in the admin's language."""
    tz = tz or timezone.get_current_timezone()
    if str(tz) in ("UTC", "Etc/UTC"):
        return str(_("Times: UTC"))
    locale = babel_locale(admin_language())
    location = get_timezone_location(tz, locale=locale)
    zone = f"{location} ({get_timezone_gmt(timezone.now().astimezone(tz), locale=locale)})"
    return str(_("Times: %(zone)s")) % {"zone": zone}

"""Dates and times in the channel's timezone and the shopper's language and country."""

import datetime as dt
import zoneinfo

import pytest
from babel import Locale
from django.template import engines
from django.utils import timezone, translation

from marketplace.channels import context
from marketplace.localisation import dates

# 23:30 UTC on 1 March: 2 March in Cairo (+2) and Nairobi (+3), 1 March in Abidjan (+0).
LATE_EVENING_UTC = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


def render(source, language, channel, **values):
    template = engines["django"].from_string("{% load localisation %}" + source)
    with translation.override(language), context.override(channel):
        return template.render(values)


@pytest.mark.parametrize(
    ("channel_code", "language", "long_date", "medium_datetime"),
    [
        ("eg", "ar", "2 مارس 2026", "02\u200f/03\u200f/2026، 1:30:00 ص"),
        ("eg", "en", "March 2, 2026", "Mar 2, 2026, 1:30:00\u202fAM"),  # CLDR en_EG
        ("ke", "sw", "2 Machi 2026", "2 Mac 2026 02:30:00"),
        ("ci", "fr", "1 mars 2026", "1 mars 2026, 23:30:00"),
    ],
)
def test_filters_format_in_the_channels_zone_and_locale(
    launch_channels, channel_code, language, long_date, medium_datetime
):
    channel = launch_channels[channel_code]
    out = render(
        '{{ when|local_date:"long" }}|{{ when|local_datetime }}', language, channel,
        when=LATE_EVENING_UTC,
    )
    assert out == f"{long_date}|{medium_datetime}"


def test_a_plain_date_is_not_shifted(launch_channels):
    out = render('{{ day|local_date:"full" }}', "fr", launch_channels["ci"], day=dt.date(2026, 7, 14))
    assert out == "mardi 14 juillet 2026"


def test_empty_values_render_nothing(launch_channels):
    assert render("[{{ none|local_datetime }}{{ blank|local_date }}]", "ar", launch_channels["eg"],
                  none=None, blank="") == "[]"


def test_outside_a_channel_the_active_zone_and_language_are_used():
    template = engines["django"].from_string("{% load localisation %}{{ when|local_time }}")
    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Africa/Nairobi")):
        assert template.render({"when": LATE_EVENING_UTC}) == "02:30"


def test_naive_datetimes_are_taken_as_utc():
    naive = LATE_EVENING_UTC.replace(tzinfo=None)
    out = dates.local_date(naive, tzinfo=zoneinfo.ZoneInfo("Africa/Cairo"), locale=Locale.parse("en"),
                           format="short")
    assert out == "3/2/26"

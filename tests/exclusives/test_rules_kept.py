"""The strategy keeps a channel's rules per version of its pages: never one change behind."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.exclusives.models import ExclusiveRule
from marketplace.partner.strategy import Selector
from tests import factories

pytestmark = pytest.mark.django_db


def in_force(channel):
    return [rule.pk for rule in Selector().strategy(channel=channel).exclusive_rules()]


@pytest.fixture
def phone(launch_channels, official_store):
    product = factories.product("Redmi Note 13")
    factories.listing(product, official_store, launch_channels["ng"], "150000.00")
    return product


def test_rules_are_read_once_per_version_and_every_change_is_seen(launch_channels, official_store, phone):
    ng = launch_channels["ng"]
    assert in_force(ng) == []
    with CaptureQueriesContext(connection) as captured:
        assert in_force(ng) == []
    assert not any("exclusives_exclusiverule" in q["sql"] for q in captured.captured_queries)

    rule = ExclusiveRule.objects.create(
        product=phone, store=official_store, starts_at=timezone.now() - timedelta(minutes=1), reason="AGR-1"
    )
    rule.channels.set([ng])
    assert in_force(ng) == [rule.pk]
    assert in_force(launch_channels["gh"]) == []  # another channel's rules are its own

    rule.ends_at = timezone.now() - timedelta(seconds=1)
    rule.save()
    assert in_force(ng) == []


def test_a_rule_starts_and_ends_at_its_second_with_nothing_written(
    launch_channels, official_store, phone, monkeypatch
):
    ng = launch_channels["ng"]
    starts = timezone.now() + timedelta(hours=1)
    rule = ExclusiveRule.objects.create(
        product=phone, store=official_store, starts_at=starts, ends_at=starts + timedelta(hours=1),
        reason="AGR-2",
    )
    rule.channels.set([ng])
    assert in_force(ng) == []  # read and kept before it starts

    for moment, expected in ((starts, [rule.pk]), (starts + timedelta(hours=1), []),
                             (starts - timedelta(seconds=1), [])):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        assert in_force(ng) == expected, moment

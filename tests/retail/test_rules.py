"""Partner retail rules, pure: zones per colour and in time, handovers, area, hours, moves."""

import datetime
from decimal import Decimal

import pytest

from marketplace.retail import rules

UTC = datetime.UTC
T0 = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def zone(status, starts_at=T0, city="Lagos", district="", **kwargs):
    return rules.ZoneStatus(city=city, district=district, status=status, starts_at=starts_at, **kwargs)


def test_no_status_is_green_and_green_allows_everything():
    assert rules.zone_in_force([], city="Lagos", district="", moment=T0) is None
    offered = rules.handovers(None, datetime.time(3, 0))
    assert (offered.delivery, offered.contactless, offered.pickup) == (True, False, True)
    assert rules.handovers(zone(rules.GREEN), datetime.time(23, 0)) == offered


def test_orange_is_contactless_in_the_operators_hours_only():
    orange = zone(rules.ORANGE, delivery_from=datetime.time(9), delivery_until=datetime.time(17))
    inside = rules.handovers(orange, datetime.time(9, 0))
    assert (inside.delivery, inside.contactless, inside.pickup) == (True, True, True)
    for outside in (datetime.time(8, 59), datetime.time(17, 0), datetime.time(23, 30)):
        offered = rules.handovers(orange, outside)
        assert not offered.delivery and offered.pickup
    no_door = zone(rules.ORANGE, delivery_from=datetime.time(9), delivery_until=datetime.time(17),
                   shop_pickup_allowed=False)
    assert not rules.handovers(no_door, datetime.time(20)).any


def test_red_has_no_delivery_and_pickup_only_if_allowed():
    assert rules.handovers(zone(rules.RED), datetime.time(12)) == rules.Handovers(False, False, True)
    closed = rules.handovers(zone(rules.RED, shop_pickup_allowed=False), datetime.time(12))
    assert not closed.any


def test_the_latest_started_status_applies_and_a_district_overrides_its_city():
    later = T0 + datetime.timedelta(days=2)
    zones = [
        zone(rules.GREEN), zone(rules.RED, starts_at=later),
        zone(rules.ORANGE, district="Ikeja", starts_at=T0 + datetime.timedelta(days=1),
             delivery_from=datetime.time(9), delivery_until=datetime.time(17)),
    ]
    at = lambda moment, district="": rules.zone_in_force(  # noqa: E731
        zones, city="lagos ", district=district, moment=moment
    )
    assert at(T0 - datetime.timedelta(seconds=1)) is None  # before anything applies: green
    assert at(T0).status == rules.GREEN
    assert at(T0 + datetime.timedelta(days=1), "Ikeja").status == rules.ORANGE
    assert at(T0 + datetime.timedelta(days=1), "Yaba").status == rules.GREEN
    # The city turning red later does not override the district's own status.
    assert at(later, "Yaba").status == rules.RED
    assert at(later, "IKEJA").status == rules.ORANGE
    assert rules.zone_in_force(zones, city="Abuja", district="", moment=later) is None


def test_delivery_area_by_radius_and_by_district():
    area = {"shop_city": "Lagos", "radius_km": Decimal("15"), "districts": ["Ikeja", "Yaba"]}
    assert rules.delivers_to(**area, address_city="Lagos", address_district="", distance_km=3.0)
    assert not rules.delivers_to(**area, address_city="Ibadan", address_district="", distance_km=112.0)
    assert rules.delivers_to(**area, address_city="lagos", address_district=" yaba", distance_km=None)
    # A district of the same name in another city does not count.
    assert not rules.delivers_to(**area, address_city="Abuja", address_district="Yaba", distance_km=None)
    no_radius = {**area, "radius_km": None}
    assert not rules.delivers_to(**no_radius, address_city="Lagos", address_district="", distance_km=1.0)


def test_opening_hours_in_local_time():
    hours = [(0, datetime.time(9), datetime.time(18)), (5, datetime.time(10), datetime.time(14))]
    monday = datetime.datetime(2026, 11, 30, 9, 0)
    assert rules.is_open(hours, monday)
    assert not rules.is_open(hours, monday.replace(hour=18))
    assert not rules.is_open(hours, monday.replace(hour=8, minute=59))
    assert rules.is_open(hours, datetime.datetime(2026, 12, 5, 13, 59))  # Saturday
    assert not rules.is_open(hours, datetime.datetime(2026, 12, 6, 12, 0))  # Sunday


@pytest.mark.parametrize("old, new, allowed", [
    ("new", "accepted", True), ("new", "declined", True), ("new", "expired", True),
    ("new", "delivered", False), ("accepted", "out", True), ("accepted", "delivered", True),
    ("out", "delivered", True), ("declined", "accepted", False), ("expired", "accepted", False),
    ("delivered", "out", False),
])
def test_moves_of_a_shop_order(old, new, allowed):
    assert rules.may_move(old, new) is allowed


def test_cash_limit_and_delivery_code():
    assert rules.takes_cash(Decimal("1000"), Decimal("1000"))
    assert not rules.takes_cash(Decimal("1000.01"), Decimal("1000"))
    assert not rules.takes_cash(Decimal("1"), Decimal("0"))
    assert rules.code_matches("123456", " 123 456 ")
    for wrong in ("123457", "", "١٢٣٤٥٦", "\x00", "1" * 10_000):
        assert not rules.code_matches("123456", wrong)
    assert not rules.code_matches("", "")

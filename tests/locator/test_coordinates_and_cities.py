"""What a visitor sends as a location, and the packaged city data."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import translation

from marketplace.locator.cities import city_by_id, city_named, listed_cities
from marketplace.locator.coordinates import InvalidLocation, parse_coordinate, parse_point
from marketplace.locator.geo import Point
from marketplace.locator.origins import UnknownCity, origin_from_query


@pytest.mark.parametrize("value, expected", [("6.45407", 6.45407), ("-90", -90.0), ("+3.5", 3.5), (Decimal("1.25"), 1.25), (7, 7.0), (" 6.4 ", 6.4)])
def test_plain_decimal_degrees_are_taken(value, expected):
    assert parse_coordinate(value, kind="latitude") == expected


@pytest.mark.parametrize(
    "value",
    ["NaN", "nan", "sNaN", "Infinity", "-inf", "1e1", "abc", "", "٣", "²", "6,45", "6.4.5",
     "\x00", "9" * 400, "1." + "1" * 20, "0x10", True, float("nan")],
)
def test_anything_else_is_not_a_coordinate(value):
    with pytest.raises(InvalidLocation):
        parse_coordinate(value, kind="longitude")


def test_ranges_and_messages_are_translated():
    with pytest.raises(InvalidLocation) as error:
        parse_point("91", "3")
    assert error.value.code == "out_of_range"
    with pytest.raises(InvalidLocation):
        parse_point("6", "-180.5")
    with translation.override("fr"):
        with pytest.raises(InvalidLocation) as error:
            parse_point("abc", "3")
        assert "latitude" in error.value.messages[0]
        assert error.value.messages[0] != "The latitude must be a number of degrees."
    with pytest.raises(InvalidLocation) as error:
        parse_point("6", "")
    assert error.value.code == "incomplete"


def test_cities_come_from_geonames_per_country():
    lagos = city_named("NG", "lagos")
    assert lagos.point == Point(6.45407, 3.39467)
    assert city_named("PT", "Lagos").country_code == "PT"  # another Lagos, in its own country
    assert city_named("NG", "Atlantis") is None
    names = {c.name for c in listed_cities("NG")}
    assert {"Lagos", "Abuja", "Kano", "Ibadan", "Port Harcourt"} <= names
    for cc, name in [("KE", "Mombasa"), ("EG", "Alexandria"), ("CI", "Abidjan"), ("MA", "Casablanca"), ("GH", "Kumasi")]:
        assert city_named(cc, name) is not None
    assert city_by_id("NG", lagos.geoname_id) == lagos
    # Another country's city, junk and huge ids are unknown, never an error.
    assert city_by_id("GH", lagos.geoname_id) is None
    for junk in ("abc", "9" * 400, "٣", "", "-1", "\x00"):
        assert city_by_id("NG", junk) is None


def test_origin_from_a_city_or_a_shared_position():
    lagos = city_named("NG", "Lagos")
    origin = origin_from_query(QueryDict(f"city={lagos.geoname_id}"), "NG")
    assert (origin.point, origin.shared, origin.query) == (lagos.point, False, {"city": str(lagos.geoname_id)})

    shared = origin_from_query(QueryDict("lat=6.601234&lng=3.351789"), "NG")
    assert shared.point == Point(6.601, 3.352) and shared.shared
    assert shared.city.name in {"Ikeja", "Lagos", "Mushin", "Agege", "Ikorodu", "Shomolu", "Ojota"}

    assert origin_from_query(QueryDict(""), "NG") is None
    with pytest.raises(UnknownCity):
        origin_from_query(QueryDict(f"city={city_named('GH', 'Accra').geoname_id}"), "NG")
    with pytest.raises(InvalidLocation):
        origin_from_query(QueryDict("lat=NaN&lng=3"), "NG")
    with pytest.raises(InvalidLocation):
        origin_from_query(QueryDict("lat=6.5"), "NG")

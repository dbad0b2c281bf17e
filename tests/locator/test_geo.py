"""Distances and bounding boxes against known coordinates (no database)."""

import math

import pytest

from marketplace.locator.geo import Box, Point, bounding_box, distance_km

# GeoNames' points (what the locator uses) and the city centres usually quoted.
LAGOS = Point(6.45407, 3.39467)
ABUJA = Point(9.05785, 7.49508)
LAGOS_CENTRE = Point(6.5244, 3.3792)
ABUJA_CENTRE = Point(9.0765, 7.3986)
NAIROBI = Point(-1.28333, 36.81667)
MOMBASA = Point(-4.05466, 39.66359)
CAIRO = Point(30.06263, 31.24967)
ALEXANDRIA = Point(31.20176, 29.91582)


@pytest.mark.parametrize(
    "a, b, expected_km",
    [
        (LAGOS_CENTRE, ABUJA_CENTRE, 524),  # the distance usually quoted, about 524 km
        (LAGOS, ABUJA, 536.6),  # GeoNames puts Lagos on the island, further south-west
        (NAIROBI, MOMBASA, 440),
        (CAIRO, ALEXANDRIA, 179),
        (Point(0, 0), Point(0, 180), math.pi * 6371.0088),  # half the equator
        (Point(90, 0), Point(-90, 0), math.pi * 6371.0088),  # pole to pole
    ],
)
def test_distance_matches_known_great_circles(a, b, expected_km):
    assert distance_km(a, b) == pytest.approx(expected_km, rel=0.01)
    assert distance_km(b, a) == pytest.approx(distance_km(a, b))


def test_distance_to_itself_is_zero_and_antimeridian_is_short():
    assert distance_km(LAGOS, LAGOS) == 0
    # Fiji to Samoa-ish across the 180th meridian: a short hop, not half the world.
    assert distance_km(Point(-17, 179.5), Point(-17, -179.5)) == pytest.approx(106.4, rel=0.01)


@pytest.mark.parametrize("lat, lng", [(91, 0), (-90.5, 0), (0, 180.1), (math.nan, 0), (0, math.inf)])
def test_point_refuses_impossible_coordinates(lat, lng):
    with pytest.raises(ValueError):
        Point(lat, lng)


def test_box_holds_every_point_of_the_circle():
    box = bounding_box(LAGOS, 50)
    for bearing in range(0, 360, 5):
        # A point 49.9 km away in each direction (small-distance flat approximation).
        d = 49.9 / 6371.0088
        lat = math.asin(
            math.sin(math.radians(LAGOS.latitude)) * math.cos(d)
            + math.cos(math.radians(LAGOS.latitude)) * math.sin(d) * math.cos(math.radians(bearing))
        )
        lng = math.radians(LAGOS.longitude) + math.atan2(
            math.sin(math.radians(bearing)) * math.sin(d) * math.cos(math.radians(LAGOS.latitude)),
            math.cos(d) - math.sin(math.radians(LAGOS.latitude)) * math.sin(lat),
        )
        point = Point(math.degrees(lat), math.degrees(lng))
        assert distance_km(LAGOS, point) == pytest.approx(49.9, rel=1e-6)
        assert box.contains(point)
    assert not box.contains(ABUJA)
    # About 0.45 degrees each way at this latitude.
    assert box.max_latitude - LAGOS.latitude == pytest.approx(0.4497, abs=1e-3)


def test_box_across_the_antimeridian_and_over_a_pole():
    box = bounding_box(Point(-17, 179.9), 50)
    assert box.crosses_antimeridian
    assert box.contains(Point(-17, -179.9)) and box.contains(Point(-17, 179.8))
    assert not box.contains(Point(-17, 0))

    polar = bounding_box(Point(89.9, 10), 50)
    assert (polar.min_longitude, polar.max_longitude, polar.max_latitude) == (-180, 180, 90)


def test_box_refuses_a_bad_radius():
    for radius in (-1, math.nan, math.inf):
        with pytest.raises(ValueError):
            bounding_box(LAGOS, radius)
    assert bounding_box(LAGOS, 0) == Box(LAGOS.latitude, LAGOS.latitude, LAGOS.longitude, LAGOS.longitude)

"""
Nearest first in the database, on a throwaway model with indexed coordinates
(created for the test in a transaction rolled back after it).
"""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps

from marketplace.locator.cities import city_named
from marketplace.locator.geo import Point, distance_km
from marketplace.locator.models import Located, located_constraints, located_index
from marketplace.locator.selectors import nearest_first, within

# A model made for the test needs its table: SQLite's schema editor cannot run inside the
# test's transaction, so these tests commit (and the database is emptied after each).
pytestmark = pytest.mark.django_db(transaction=True)

TOWNS = {
    "Lagos": Point(6.45407, 3.39467),
    "Ikeja": Point(6.60184, 3.35149),
    "Ibadan": Point(7.37756, 3.90591),
    "Abuja": Point(9.05785, 7.49508),
    "Kano": Point(12.00012, 8.51672),
    "Port Harcourt": Point(4.77742, 7.0134),
    "Nairobi": Point(-1.28333, 36.81667),
    "Suva": Point(-18.14161, 178.44149),
    "Apia": Point(-13.83333, -171.76666),
}


@pytest.fixture
def place_model():
    with isolate_apps("marketplace.locator"):
        class Place(Located):
            name = models.CharField(max_length=40)
            kind = models.CharField(max_length=10, default="shop")

            class Meta:
                app_label = "locator"
                indexes = [located_index("kind", name="test_place_located")]
                constraints = located_constraints("test_place")

        with connection.schema_editor() as editor:
            editor.create_model(Place)
        for name, point in TOWNS.items():
            Place.objects.create(name=name, latitude=point.latitude, longitude=point.longitude)
        Place.objects.create(name="Lagos depot", kind="depot", latitude=6.46, longitude=3.40)
        yield Place
        with connection.schema_editor() as editor:
            editor.delete_model(Place)


def test_nearest_first_orders_by_great_circle_distance(place_model):
    origin = city_named("NG", "Lagos").point
    found = nearest_first(place_model.objects.filter(kind="shop"), origin, limit=4)
    assert [p.name for p in found] == ["Lagos", "Ikeja", "Ibadan", "Port Harcourt"]
    for place in found:
        assert place.distance_km == pytest.approx(distance_km(origin, place.point), rel=1e-6)
    assert found[1].distance_km == pytest.approx(17.1, abs=0.2)


def test_the_distance_is_computed_and_ordered_in_one_query(place_model):
    origin = TOWNS["Abuja"]
    with CaptureQueriesContext(connection) as queries:
        found = list(within(place_model.objects.all(), origin, 600))
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "ORDER BY" in sql and "ASIN" in sql and '"LATITUDE" >=' in sql
    # The database's order is the pure function's.
    everything = {p.name: p.point for p in place_model.objects.all()}
    expected = sorted(
        (name for name, point in everything.items() if distance_km(origin, point) <= 600),
        key=lambda name: distance_km(origin, everything[name]),
    )
    assert [p.name for p in found] == expected
    assert expected[:2] == ["Abuja", "Kano"] and "Lagos" in expected and "Nairobi" not in expected
    assert next(p for p in found if p.name == "Lagos").distance_km == pytest.approx(536.6, abs=0.1)


def test_radius_excludes_what_is_beyond_it(place_model):
    assert [p.name for p in within(place_model.objects.filter(kind="shop"), TOWNS["Lagos"], 10)] == ["Lagos"]
    assert list(within(place_model.objects.all(), Point(-33.9, 18.4), 100)) == []


def test_widening_stops_at_the_first_radius_holding_enough(place_model):
    queryset = place_model.objects.filter(kind="shop")
    with CaptureQueriesContext(connection) as queries:
        nearby = nearest_first(queryset, TOWNS["Lagos"], limit=1)
    assert [p.name for p in nearby] == ["Lagos"] and len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        far = nearest_first(queryset, Point(0, -30), limit=1)
    # Mid-Atlantic: 10, 50, 250, 1000 km hold nothing; 5000 km reaches West Africa.
    nearest = min(queryset, key=lambda p: distance_km(Point(0, -30), p.point))
    assert [p.name for p in far] == [nearest.name] and len(queries) == 5


def test_across_the_antimeridian(place_model):
    found = nearest_first(place_model.objects.all(), Point(-16, 179.9), limit=2)
    assert [p.name for p in found] == ["Suva", "Apia"]


def test_the_database_refuses_out_of_range_coordinates(place_model):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        place_model.objects.create(name="nowhere", latitude=95, longitude=0)

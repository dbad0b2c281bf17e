"""
Nearest first, in the database.

``nearest`` narrows a queryset to the bounding box of a radius (a range on the
indexed latitude and longitude columns), computes the haversine distance in
the query (Django's math functions: SQLite registers them, PostgreSQL has them
natively), keeps what is within the radius and orders by distance. Only the
page's rows come back to Python.

``nearest_first`` widens the radius step by step until it has enough places,
so a visitor far from everything still gets the nearest ones, and a visitor in
a dense city costs one small query.

With PostGIS in production, the same contract can be served by a
``geography(Point)`` column with a GiST index: ``ST_DWithin`` replaces the box
and the radius test, ``ST_Distance`` (or the ``<->`` KNN operator, which needs no
radius at all) the haversine; only this module would change.
"""

from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from .geo import EARTH_RADIUS_KM, Point, bounding_box

# Radii tried in turn by ``nearest_first``, in km: a city, its region, the country, a continent.
WIDENING_RADII_KM = (10, 50, 250, 1000, 5000)


def distance_expression(origin: Point, *, latitude: str = "latitude", longitude: str = "longitude"):
    """The haversine distance in km from ``origin`` to each row, as a query expression."""
    lat0 = Value(origin.latitude, output_field=FloatField())
    lng0 = Value(origin.longitude, output_field=FloatField())
    half_dlat = (Radians(F(latitude)) - Radians(lat0)) / 2
    half_dlng = (Radians(F(longitude)) - Radians(lng0)) / 2
    h = Power(Sin(half_dlat), 2) + Cos(Radians(lat0)) * Cos(Radians(F(latitude))) * Power(
        Sin(half_dlng), 2
    )
    # Least(1, …): rounding can push h a hair above 1, outside asin's domain.
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(
        Least(Sqrt(h), Value(1.0, output_field=FloatField()))
    )


def within(
    queryset: QuerySet, origin: Point, radius_km: float, *,
    latitude: str = "latitude", longitude: str = "longitude",
) -> QuerySet:
    """``queryset``'s places within ``radius_km`` of ``origin``, nearest first, each
    with ``distance_km``."""
    box = bounding_box(origin, radius_km)
    queryset = queryset.filter(
        **{f"{latitude}__gte": box.min_latitude, f"{latitude}__lte": box.max_latitude}
    )
    if box.crosses_antimeridian:
        queryset = queryset.filter(
            Q(**{f"{longitude}__gte": box.min_longitude})
            | Q(**{f"{longitude}__lte": box.max_longitude})
        )
    elif (box.min_longitude, box.max_longitude) != (-180.0, 180.0):
        queryset = queryset.filter(
            **{f"{longitude}__gte": box.min_longitude, f"{longitude}__lte": box.max_longitude}
        )
    return (
        queryset.annotate(
            distance_km=distance_expression(origin, latitude=latitude, longitude=longitude)
        )
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "pk")
    )


def nearest_first(
    queryset: QuerySet, origin: Point, *, limit: int,
    radii_km=WIDENING_RADII_KM, latitude: str = "latitude", longitude: str = "longitude",
) -> list:
    """Up to ``limit`` places nearest to ``origin``, each with ``distance_km``.

    One query per radius tried: the first radius holding ``limit`` places ends
    the search (a place found within a smaller radius is also nearer than any
    outside it, so the order is exact). Beyond the last radius, nothing is found.
    """
    rows: list = []
    for radius in radii_km:
        rows = list(within(queryset, origin, radius, latitude=latitude, longitude=longitude)[:limit])
        if len(rows) >= limit:
            break
    return rows

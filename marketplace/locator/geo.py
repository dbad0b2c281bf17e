"""
Great-circle geometry on plain numbers: no database, no Django.

Distances are haversine on a sphere of the Earth's mean radius (IUGG, 6371.0088
km): within 0.5 % of the ellipsoidal distance, well below what a shopper picking
the nearest shop can tell apart. Bounding boxes follow Jan Philip Matuschek,
"Finding Points Within a Distance of a Latitude/Longitude Using Bounding
Coordinates": the smallest latitude/longitude rectangle that holds every point
within a radius, so the database can narrow the search on plain indexes before
computing any distance.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Point:
    """A place on Earth, in decimal degrees (WGS 84)."""

    latitude: float
    longitude: float

    def __post_init__(self):
        if not (math.isfinite(self.latitude) and math.isfinite(self.longitude)):
            raise ValueError("coordinates must be finite numbers")
        if not -90 <= self.latitude <= 90 or not -180 <= self.longitude <= 180:
            raise ValueError("coordinates out of range")


@dataclass(frozen=True)
class Box:
    """
    A latitude/longitude rectangle. ``min_longitude > max_longitude`` means it
    crosses the 180th meridian (the longitudes outside the gap are in it).
    """

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.min_longitude > self.max_longitude

    def contains(self, point: Point) -> bool:
        if not self.min_latitude <= point.latitude <= self.max_latitude:
            return False
        if self.crosses_antimeridian:
            return point.longitude >= self.min_longitude or point.longitude <= self.max_longitude
        return self.min_longitude <= point.longitude <= self.max_longitude


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points, in kilometres (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlng = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(origin: Point, radius_km: float) -> Box:
    """The smallest box holding every point within ``radius_km`` of ``origin``."""
    if not math.isfinite(radius_km) or radius_km < 0:
        raise ValueError("radius must be a finite, non-negative number")
    angular = radius_km / EARTH_RADIUS_KM
    lat = math.radians(origin.latitude)
    min_lat, max_lat = lat - angular, lat + angular
    if min_lat <= -math.pi / 2 or max_lat >= math.pi / 2:
        # A pole is inside the circle: every longitude is.
        return Box(
            math.degrees(max(min_lat, -math.pi / 2)), math.degrees(min(max_lat, math.pi / 2)),
            -180.0, 180.0,
        )
    delta = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(lat))))
    if delta >= 180:
        return Box(math.degrees(min_lat), math.degrees(max_lat), -180.0, 180.0)
    min_lng, max_lng = origin.longitude - delta, origin.longitude + delta
    if min_lng < -180:
        min_lng += 360
    if max_lng > 180:
        max_lng -= 360
    return Box(math.degrees(min_lat), math.degrees(max_lat), min_lng, max_lng)

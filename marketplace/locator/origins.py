"""
Where a visitor searches from: a city they chose, or the position their browser
shared. Read from a query string and validated; pure apart from the city data.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .cities import City, cities_of, city_by_id
from .coordinates import InvalidLocation, parse_point
from .geo import Point, distance_km

# A shared position is kept to 3 decimals (about 100 m): enough to sort shops,
# not enough to pin a home, and it bounds how many addresses a page has.
SHARED_PRECISION = 3


class UnknownCity(InvalidLocation):
    """A city id that is not one of the country's (answered with a 404)."""


@dataclass(frozen=True)
class Origin:
    point: Point
    # The chosen city, or for a shared position the nearest city (for its name).
    city: City | None
    shared: bool

    @property
    def query(self) -> dict[str, str]:
        """The query string parameters that give this origin back."""
        if self.shared:
            return {"lat": f"{self.point.latitude}", "lng": f"{self.point.longitude}"}
        return {"city": str(self.city.geoname_id)}


def nearest_city(country_code: str, point: Point) -> City | None:
    """The country's city nearest to ``point`` (a few hundred candidates, in memory)."""
    return min(cities_of(country_code), key=lambda c: distance_km(point, c.point), default=None)


def origin_from_query(params, country_code: str) -> Origin | None:
    """The origin ``params`` ask for (``city=<GeoNames id>`` or ``lat=&lng=``), or None.

    Raises ``UnknownCity`` or ``InvalidLocation`` with a message for the visitor.
    """
    city_id = params.get("city", "")
    if city_id:
        city = city_by_id(country_code, city_id)
        if city is None:
            raise UnknownCity(_("We do not know this city in this country."), code="unknown_city")
        return Origin(point=city.point, city=city, shared=False)
    if params.get("lat", "") or params.get("lng", ""):
        sent = parse_point(params.get("lat", ""), params.get("lng", ""))
        point = Point(
            round(sent.latitude, SHARED_PRECISION), round(sent.longitude, SHARED_PRECISION)
        )
        return Origin(point=point, city=nearest_city(country_code, point), shared=True)
    return None

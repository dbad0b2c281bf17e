"""
A located place: the two columns the locator searches on.

Concrete models inherit ``Located`` and index the columns with what they are
filtered by first, e.g. ``located_index("channel", name=...)``: the bounding
box is a range on latitude (the index narrows to a band) and on longitude
(checked within the band), so nearest-first stays an index scan with thousands
of places.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Located(models.Model):
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees, north positive (Lagos: 6.45407)."),
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees, east positive (Lagos: 3.39467)."),
    )

    class Meta:
        abstract = True

    @property
    def point(self):
        from .geo import Point

        return Point(self.latitude, self.longitude)


def located_index(*leading: str, name: str) -> models.Index:
    """An index for nearest-first searches, after the fields always filtered on."""
    return models.Index(fields=[*leading, "latitude", "longitude"], name=name)


def located_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The database refuses coordinates out of range (and NaN, which is in no range)."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__gte=-90, latitude__lte=90), name=f"{prefix}_latitude_range"
        ),
        models.CheckConstraint(
            condition=Q(longitude__gte=-180, longitude__lte=180), name=f"{prefix}_longitude_range"
        ),
    ]

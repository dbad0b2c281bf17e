"""
Units left for pages and the poll: from Redis on the Redis path (expired
reservations given back first), from the database's counters otherwise (with a
one-second snapshot in the cache, so a crowd polling costs one query a second).
"""

import logging

import redis
from django.db.models import Sum
from django.utils import timezone

from . import redis_claims, rules
from .admission import _counts_from_reservations, uses_redis
from .models import Reservation
from .selectors import cached_units_left, remember_units_left, units_left_in_database

logger = logging.getLogger(__name__)


def units_left(*, item_id: int, units: int, database: bool = True) -> int | None:
    """Units of an item left now; None when unknown without PostgreSQL and ``database`` is False."""
    if uses_redis():
        try:
            left, known = redis_claims.run("left", item_id)
        except redis.RedisError:
            logger.warning("flash-sale units left of item %s: Redis is down", item_id)
            known = 0
        if int(known):
            return max(int(left), 0)
        if not database:
            return None
        taken, _ordered, _tallies = _counts_from_reservations(item_id, timezone.now())
        return rules.units_left(units=units, taken=taken)
    left = cached_units_left(item_id)
    if left is None:
        if not database:
            return None
        left = units_left_in_database(item_id)
        remember_units_left(item_id, left)
    return left


def units_left_many(items) -> dict[int, int]:
    """Units left of each item, for a strip: on the Redis path the items it has not counted yet
    (none claimed since a restart) are counted from the reservations in one query, not one each."""
    items = list(items)
    if not uses_redis():
        return {item.pk: units_left(item_id=item.pk, units=item.units) for item in items}
    lefts, unknown = {}, []
    for item in items:
        left = units_left(item_id=item.pk, units=item.units, database=False)
        if left is None:
            unknown.append(item)
        else:
            lefts[item.pk] = left
    if unknown:
        taken = _taken_by_item([item.pk for item in unknown], timezone.now())
        for item in unknown:
            lefts[item.pk] = rules.units_left(units=item.units, taken=taken.get(item.pk, 0))
    return lefts


def _taken_by_item(item_ids, moment) -> dict[int, int]:
    """``_counts_from_reservations``'s units held, for several items in one query."""
    held = (
        Reservation.objects.filter(item_id__in=item_ids, status__in=(Reservation.RESERVED, Reservation.ORDERED))
        .exclude(status=Reservation.RESERVED, expires_at__lte=moment)
        .values("item_id").annotate(units=Sum("quantity")).order_by()
    )
    return {row["item_id"]: row["units"] for row in held}

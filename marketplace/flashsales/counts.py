"""
Units left for pages and the poll: from Redis on the Redis path (expired
reservations given back first), from the database's counters otherwise (with a
one-second snapshot in the cache, so a crowd polling costs one query a second).
"""

import logging

import redis
from django.utils import timezone

from . import redis_claims, rules
from .admission import _counts_from_reservations, uses_redis
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
    return {item.pk: units_left(item_id=item.pk, units=item.units) for item in items}

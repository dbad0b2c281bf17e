"""
Overload: at most ``FLASHSALES_ADMIT_PER_SECOND`` claims of one sale enter
admission each second; the others get the waiting page (or 429 + Retry-After)
which retries by itself. A counter per sale and second in the shared cache
(``INCR``, atomic on Redis): one round trip, no PostgreSQL.

What this does not do yet: hand out places in a queue. Shoppers who retry are
admitted in the order their retries arrive, not the order they first came.
"""

import time

from django.conf import settings
from django.core.cache import cache


def admit(request, *, sale_id: int) -> int:
    """0 when the claim may go on, else the seconds to wait before retrying."""
    limit = settings.FLASHSALES_ADMIT_PER_SECOND
    if not limit:
        return 0
    second = int(time.time())
    key = f"flashsales:gate:{sale_id}:{second}"
    if cache.add(key, 1, 5):
        return 0
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls: a new second
        return 0
    return 0 if count <= limit else 1 + (count - limit) // limit

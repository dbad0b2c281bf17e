"""
Overload: each web process lets at most ``FLASHSALES_ADMIT_PER_SECOND`` claims
of one sale into admission per second; the others get the waiting page (or 429
+ Retry-After) which retries by itself. Counted in the process (no round trip):
the site's admission rate is this times the number of web processes, so it is
set from what one process serves (see the README's figures).

What this does not do yet: hand out places in a queue. Shoppers who retry are
admitted in the order their retries arrive, not the order they first came.
"""

import threading
import time

from django.conf import settings

_lock = threading.Lock()
_second = 0
_counts: dict[int, int] = {}


def admit(request, *, sale_id: int) -> int:
    """0 when the claim may go on, else the seconds to wait before retrying."""
    global _second
    limit = settings.FLASHSALES_ADMIT_PER_SECOND
    if not limit:
        return 0
    now = int(time.time())
    with _lock:
        if now != _second:
            _second = now
            _counts.clear()
        count = _counts.get(sale_id, 0) + 1
        _counts[sale_id] = count
    return 0 if count <= limit else 1 + (count - limit) // limit

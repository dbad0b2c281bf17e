"""
Overload: each web process lets at most ``FLASHSALES_ADMIT_PER_SECOND`` claims
of one sale into admission per second; the others get the waiting page (or 429
+ Retry-After) which retries by itself. Counted in the process (no round trip):
the site's admission rate is this times the number of web processes, so it is
set from what one process serves (see the README's figures).

First come, first served: a shopper turned away takes a numbered ticket (a
counter per sale in the shared cache, the ticket in a signed cookie) and is let
in once the queue has drained to it; the queue drains ``FLASHSALES_ADMIT_PER_SECOND``
tickets a second from the moment it formed. While a queue stands, a newcomer
without a ticket takes one behind it instead of passing the shoppers waiting, so
nobody who came later is let in earlier. The queue decides only who may try: the
claim itself stays the script's (or the database's) atomic step.
"""

import math
import threading
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TICKET_COOKIE = "flash_ticket"
_lock = threading.Lock()
_second = 0
_counts: dict[int, int] = {}


def admit(request, *, sale_id: int) -> int:
    """0 when the claim may go on, else the seconds to wait before retrying.

    A ticket taken here is left on ``request.flash_ticket`` for the view to set as a cookie.
    """
    limit = settings.FLASHSALES_ADMIT_PER_SECOND
    if not limit:
        return 0
    now = time.time()
    ticket = _ticket_of(request, sale_id)
    if ticket is not None:
        wait = ticket_wait(sale_id=sale_id, ticket=ticket, rate=limit, now=now)
        if wait:
            return wait
        if not _counted(sale_id, limit, now):
            return 1  # its turn, but this process is full this second: the ticket stays
        request.flash_ticket_done = True  # let in: the cookie goes
        # Once: a kept or copied cookie of a ticket already let in queues like a newcomer.
        if cache.add(f"flashsales:queue:{sale_id}:used:{ticket}", 1, 3600):
            return 0
    if queue_waiting(sale_id=sale_id, rate=limit, now=now) or not _counted(sale_id, limit, now):
        ticket = take_ticket(sale_id=sale_id, rate=limit, now=now)
        request.flash_ticket = signing.dumps([sale_id, ticket], salt=TICKET_COOKIE)
        return max(ticket_wait(sale_id=sale_id, ticket=ticket, rate=limit, now=now), 1)
    return 0


def _counted(sale_id: int, limit: int, now: float) -> bool:
    """This process's count for the current second: True while within the limit."""
    global _second
    second = int(now)
    with _lock:
        if second != _second:
            _second = second
            _counts.clear()
        count = _counts.get(sale_id, 0) + 1
        _counts[sale_id] = count
    return count <= limit


def _ticket_of(request, sale_id: int) -> int | None:
    value = request.COOKIES.get(TICKET_COOKIE)
    if not value:
        return None
    try:
        ticket_sale, ticket = signing.loads(value, salt=TICKET_COOKIE, max_age=3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return ticket if ticket_sale == sale_id and isinstance(ticket, int) else None


# The queue in the shared cache: tickets issued, and when (and from which ticket) it began draining.


def _keys(sale_id: int) -> tuple[str, str]:
    return f"flashsales:queue:{sale_id}:issued", f"flashsales:queue:{sale_id}:start"


def served(*, sale_id: int, rate: int, now: float) -> int:
    """The last ticket whose turn has come."""
    start = cache.get(_keys(sale_id)[1])
    if start is None:
        return 0
    began, first = start
    return first + int((now - began) * rate)


def queue_waiting(*, sale_id: int, rate: int, now: float) -> bool:
    issued = cache.get(_keys(sale_id)[0]) or 0
    return issued > served(sale_id=sale_id, rate=rate, now=now)


def take_ticket(*, sale_id: int, rate: int, now: float) -> int:
    issued_key, start_key = _keys(sale_id)
    if not queue_waiting(sale_id=sale_id, rate=rate, now=now):
        # A new queue: it drains from now, after the tickets already served.
        cache.set(start_key, (now, cache.get(issued_key) or 0), 3600)
    cache.add(issued_key, 0, 3600)
    return cache.incr(issued_key)


def ticket_wait(*, sale_id: int, ticket: int, rate: int, now: float) -> int:
    """Seconds until ``ticket``'s turn (0: now)."""
    ahead = ticket - served(sale_id=sale_id, rate=rate, now=now)
    return 0 if ahead <= 0 else math.ceil(ahead / rate)

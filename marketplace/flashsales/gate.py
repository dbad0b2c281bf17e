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

The queue's record is cache entries, which expire, are culled (the file cache past
300 entries) or lost with a restart. A ticket therefore carries the moment its turn
comes, as reckoned when it was taken, and is let in then at the latest; with no
record of when a queue began draining there is no queue to wait behind; and a
ticket's single use is marked by a random mark of its own, not by its number,
which starts again at 1 when the count is lost.
"""

import math
import secrets
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
    held = _ticket_of(request, sale_id)
    if held is not None:
        ticket, due, mark = held
        # Never later than promised when it was taken, whatever became of the queue's record.
        wait = min(ticket_wait(sale_id=sale_id, ticket=ticket, rate=limit, now=now), max(math.ceil(due - now), 0))
        if wait:
            return wait
        if not _counted(sale_id, limit, now):
            return 1  # its turn, but this process is full this second: the ticket stays
        request.flash_ticket_done = True  # let in: the cookie goes
        # Once: a kept or copied cookie of a ticket already let in queues like a newcomer.
        if cache.add(f"flashsales:queue:{sale_id}:used:{mark}", 1, 3600):
            return 0
    if queue_waiting(sale_id=sale_id, rate=limit, now=now) or not _counted(sale_id, limit, now):
        ticket = take_ticket(sale_id=sale_id, rate=limit, now=now)
        wait = max(ticket_wait(sale_id=sale_id, ticket=ticket, rate=limit, now=now), 1)
        request.flash_ticket = signing.dumps([sale_id, ticket, now + wait, secrets.token_urlsafe(9)],
                                             salt=TICKET_COOKIE)
        return wait
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


def _ticket_of(request, sale_id: int) -> tuple[int, float, str] | None:
    """``(number, when its turn comes, its single-use mark)`` of the shopper's ticket for the sale."""
    value = request.COOKIES.get(TICKET_COOKIE)
    if not value:
        return None
    try:
        ticket_sale, ticket, due, mark = signing.loads(value, salt=TICKET_COOKIE, max_age=3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if ticket_sale != sale_id or not isinstance(ticket, int) or not isinstance(due, (int, float)):
        return None
    return ticket, float(due), str(mark)


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
    issued_key, start_key = _keys(sale_id)
    if cache.get(start_key) is None:
        return False  # no record of a queue draining (expired, culled, lost): none to wait behind
    issued = cache.get(issued_key) or 0
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

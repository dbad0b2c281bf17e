"""
Fixed-window rate limits on the shared cache.

A rule is a number of requests per period (``"10/15m"``). Each (scope, client)
pair counts under a cache key of the current window: when the window turns the
count starts again, and the old entry expires with its window. The cache is the
``RATELIMIT_CACHE`` alias of ``CACHES``, which must be shared by every web
process for a limit to hold across them (Redis when ``REDIS_URL`` is set; the
local-memory cache of a demo without Redis is per process).

A fixed window lets a client spend up to twice the limit across a window's
edge; the limits in settings are chosen with that in mind.
"""

import hashlib
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches

from .clients import client_key
from .responses import too_many_requests

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def now() -> float:
    """The limiter's clock (seconds since the epoch); tests move it instead of sleeping."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` requests per ``period`` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"10/m"``, ``"5/15m"``, ``"100/h"``, ``"1000/d"``, ``"3/30s"``."""
        match = _RATE.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"not a rate: {text!r} (for example '10/15m')")
        limit, multiple, unit = match.groups()
        rate = cls(limit=int(limit), period=int(multiple or 1) * _UNITS[unit])
        if rate.limit < 1 or rate.period < 1:
            raise ValueError(f"not a rate: {text!r} (limit and period must be positive)")
        return rate


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # whole seconds until the window turns (at least 1)


def hit(scope: str, key: str, rate: Rate) -> Decision:
    """Count one request of ``key`` in ``scope`` and say whether it is within ``rate``."""
    moment = now()
    window = int(moment // rate.period)
    retry_after = max(1, math.ceil((window + 1) * rate.period - moment))
    # Hashed: the key holds an address or an e-mail, which need not sit in the cache as is.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{rate.period}:{window}:{digest}"
    cache = caches[settings.RATELIMIT_CACHE]
    # add + incr is atomic where it matters: Redis (SET NX, INCR), production's cache.
    # The demo's file cache (no Redis) reads and rewrites the file, so a burst may count a
    # little under; tests' local memory takes a lock. The entry outlives its window by a second.
    cache.add(cache_key, 0, timeout=retry_after + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=retry_after + 1)
        count = 1
    return Decision(allowed=count <= rate.limit, count=count, limit=rate.limit, retry_after=retry_after)


def rate_for(scope: str) -> Rate | None:
    """The configured rate of a scope; None (or a scope left out) means unlimited."""
    text = settings.RATELIMITS.get(scope)
    return Rate.parse(text) if text else None


def throttle(request, scope: str, *, key: str | None = None, json: bool = False):
    """
    Count this request against ``scope``: None when within the limit, else the 429 to send.

    ``key`` defaults to the client's address (``clients.client_key``).
    """
    rate = rate_for(scope)
    if rate is None:
        return None
    decision = hit(scope, client_key(request) if key is None else key, rate)
    if decision.allowed:
        return None
    logger.warning(
        "Rate limit %s (%d per %d s) exceeded: request %d from %s",
        scope, rate.limit, rate.period, decision.count, client_key(request),
    )
    return too_many_requests(request, decision.retry_after, json=json)


def ratelimited(scope: str, *, key=None, methods=("POST",), json: bool = False):
    """
    A view decorator: requests with one of ``methods`` count against ``scope``.

    ``key(request, *args, **kwargs) -> str`` narrows the budget (e.g. the client and
    the payment polled); by default it is the client's address. Use
    ``method_decorator(ratelimited(...), name="dispatch")`` on a class-based view.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refused = throttle(
                    request, scope, json=json,
                    key=key(request, *args, **kwargs) if key is not None else None,
                )
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

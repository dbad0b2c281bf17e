"""
The shared-cache entries a request needs, read together in one round-trip when it starts.

A checkout step read its entries from Redis one by one: the active channels, the
session, the page tokens, the channel's delivery data and payment options, the
checkout's flat-page version (some twice in one request): about 40 Redis commands a
checkout. This middleware (first in ``MIDDLEWARE``) names the keys the request will read
and reads them in one MGET (``rediscache.SharedRedisCache.prefetched``); the code that
reads them later (``cache.get``, ``cache.get_many``) is answered from that, unchanged.

Freshness: the entries are read when the request starts, so a change made before it by
another process shows on this request, and one made during it on the next (as a read a
few milliseconds later would); every write of one of them in the request (a session
saved, a token bumped, an entry forgotten) forgets the value read, so the request reads
its own writes. Keys named but never read cost only their bytes in the one MGET.

Which channel a path names (``/ng/...``) is only known once the channel middleware has
resolved it: this process remembers each code's id from its last request, a hint. A
wrong hint (a channel recreated) only reads entries that are not used; the code reads
the right ones as before. Without the Redis backend (files in the demo, memory in
tests) the middleware does nothing.
"""

import re

from django.conf import settings
from django.core.cache import caches

_CHANNEL_IDS: dict[str, int] = {}  # channel code -> id, learnt from this process's requests
_CODE = re.compile(r"^/([a-z]{2})/")
_SESSION_KEY = re.compile(r"^[a-z0-9]{8,64}$")
# Paths whose views read the checkout's cached data (delivery, payment, flat pages): the
# checkout's steps and the flash sales' one-page checkout.
_CHECKOUT = re.compile(r"^/[a-z]{2}/(?:[a-z]{2}/)?(?:flash-sales/)?checkout/")


def _session_cache_key(request) -> str | None:
    from importlib import import_module

    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not _SESSION_KEY.match(session_key):
        return None
    prefix = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", None)
    return None if prefix is None else prefix + session_key


def shared_keys(request) -> list[str]:
    """The shared-cache keys this request will read (as its code names them)."""
    from marketplace.channels.selectors import _CACHE_KEY as ACTIVE_CHANNELS
    from marketplace.checkout.flatpages import _VERSION_KEY as FLATPAGES_VERSION
    from marketplace.delivery.selectors import _cache_key as delivery_key
    from marketplace.pagecache import versions
    from marketplace.payments.selectors import _cache_key as payments_key

    keys = [ACTIVE_CHANNELS]
    session = _session_cache_key(request)
    if session is not None and getattr(settings, "SESSION_CACHE_ALIAS", "default") == "default":
        keys.append(session)
    match = _CODE.match(request.path_info)
    channel_id = _CHANNEL_IDS.get(match.group(1)) if match else None
    if channel_id is not None:
        # The global and channel page tokens: every page and checkout step reads them.
        keys += [versions._token_key(versions.GLOBAL), versions._token_key(channel_id),
                 versions._token_key(versions._status_scope(channel_id))]
        if _CHECKOUT.match(request.path_info):
            keys += [delivery_key(channel_id), payments_key(channel_id), FLATPAGES_VERSION]
    return keys


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        backend = caches["default"]
        prefetched = getattr(backend, "prefetched", None)
        if prefetched is None:
            return self.get_response(request)
        with prefetched(shared_keys(request)):
            response = self.get_response(request)
        channel = getattr(request, "channel", None)
        if channel is not None:
            _CHANNEL_IDS[channel.code] = channel.pk
        return response




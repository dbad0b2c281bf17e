"""A request's shared-cache entries read in one round-trip (``marketplace.requestcache``)."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from marketplace import requestcache
from tests.rediscount import counting_redis, needs_redis


@pytest.fixture(autouse=True)
def _redis():
    needs_redis()


def _another_process_sets(key, value):
    # Straight to Redis through a client of its own, as another web process would.
    import redis

    full = cache.make_and_validate_key(key)
    raw = cache._cache._serializer.dumps(value)
    redis.Redis.from_url(cache._cache._servers[0]).set(full, raw)


def test_prefetched_keys_are_read_once_and_writes_are_read_back(monkeypatch):
    cache.set_many({"rc:a": {"n": 1}, "rc:b": 2})
    with counting_redis(monkeypatch) as counted, cache.prefetched(["rc:a", "rc:b", "rc:missing"]):
        assert counted.round_trips == 1
        assert cache.get("rc:a") == {"n": 1}
        assert cache.get_many(["rc:a", "rc:b", "rc:missing"]) == {"rc:a": {"n": 1}, "rc:b": 2}
        assert cache.get("rc:missing", "default") == "default"
        assert counted.round_trips == 1  # all answered from the one MGET
        # Each read gets objects of its own: a change in place is not seen by the next read.
        cache.get("rc:a")["n"] = 99
        assert cache.get("rc:a") == {"n": 1}
        # The request's own writes are read back.
        cache.set("rc:a", {"n": 2})
        cache.incr("rc:b")
        cache.add("rc:missing", "added")
        assert cache.get_many(["rc:a", "rc:b", "rc:missing"]) == {"rc:a": {"n": 2}, "rc:b": 3, "rc:missing": "added"}
        cache.delete("rc:a")
        assert cache.get("rc:a") is None
    # Outside, every read goes to Redis again.
    with counting_redis(monkeypatch) as counted:
        assert cache.get("rc:b") == 3
    assert counted.round_trips == 1


def _middleware(read):
    seen = []

    def view(request):
        seen.append(read())
        return HttpResponse()

    return requestcache.RequestCacheMiddleware(view), seen


def test_another_processs_change_shows_on_the_next_request():
    from marketplace.channels.selectors import _CACHE_KEY

    cache.set(_CACHE_KEY, "before")
    middleware, seen = _middleware(lambda: cache.get(_CACHE_KEY))
    request = RequestFactory().get("/ng/")
    middleware(request)
    _another_process_sets(_CACHE_KEY, "after")
    middleware(RequestFactory().get("/ng/"))
    assert seen == ["before", "after"]


def test_the_checkout_keys_of_a_known_channel_are_named(channel_ngn):
    from marketplace.pagecache import versions

    factory = RequestFactory()
    request = factory.get("/ng/checkout/shipping-method/")
    request.channel = channel_ngn
    requestcache.RequestCacheMiddleware(lambda r: HttpResponse())(request)  # learns ng's id

    request = factory.get("/ng/checkout/shipping-method/")
    request.COOKIES["sessionid"] = "abcdefgh12345678"
    keys = requestcache.shared_keys(request)
    assert versions._token_key(channel_ngn.pk) in keys
    assert f"delivery:data:v1:{channel_ngn.pk}" in keys
    assert f"payments:options:v1:{channel_ngn.pk}" in keys
    assert any(key.endswith("abcdefgh12345678") for key in keys)
    # The flash sale's one-page checkout reads them too.
    flash = requestcache.shared_keys(factory.get("/ng/flash-sales/checkout/0b4b6f8e-3c2a-4d5e-9f10-123456789abc/"))
    assert f"delivery:data:v1:{channel_ngn.pk}" in flash and f"payments:options:v1:{channel_ngn.pk}" in flash
    # A product page needs no checkout data; a cookie that is no session key is not looked up.
    request = factory.get("/ng/catalogue/x_1/")
    request.COOKIES["sessionid"] = "../bad key"
    keys = requestcache.shared_keys(request)
    assert versions._token_key(channel_ngn.pk) in keys
    assert f"delivery:data:v1:{channel_ngn.pk}" not in keys
    assert not any("bad" in key for key in keys)

"""One Redis client and connection pool per process (``marketplace.rediscache``)."""

import threading

import pytest
from django.core.cache import cache, caches

from marketplace import rediscache
from tests.rediscount import counting_redis, needs_redis


@pytest.fixture(autouse=True)
def _redis():
    needs_redis()


def _in_thread(function):
    out = []
    thread = threading.Thread(target=lambda: out.append(function()))
    thread.start()
    thread.join()
    return out[0]


def test_the_configured_backend_is_the_shared_one():
    assert isinstance(caches["default"], rediscache.SharedRedisCache)


def test_every_thread_shares_one_client_pool_and_redis_object():
    here = caches["default"]
    there = _in_thread(lambda: caches["default"])
    # Django makes one backend per thread; they share what talks to Redis.
    assert there is not here
    assert there._cache is here._cache
    pool = here._cache._get_connection_pool(write=True)
    assert _in_thread(lambda: caches["default"]._cache._get_connection_pool(write=True)) is pool
    assert here._cache.get_client(write=True) is here._cache.get_client("any")
    # Both threads' values meet in the same Redis.
    here.set("rediscache:shared", 41)
    assert _in_thread(lambda: caches["default"].get("rediscache:shared")) == 41


def test_a_forked_process_builds_its_own_client(monkeypatch):
    parent = cache._cache
    monkeypatch.setattr(rediscache.os, "getpid", lambda: -1)
    child = cache._cache
    assert child is not parent
    assert child._get_connection_pool(write=True) is not parent._get_connection_pool(write=True)
    cache.set("rediscache:child", "ok")
    assert cache.get("rediscache:child") == "ok"


def test_incr_is_one_round_trip_and_refuses_a_missing_key(monkeypatch):
    cache.set("rediscache:n", 5, None)
    with counting_redis(monkeypatch) as counted:
        assert cache.incr("rediscache:n") == 6
        assert cache.incr("rediscache:n", 3) == 9
    assert counted.round_trips == 2
    assert cache.get("rediscache:n") == 9
    with pytest.raises(ValueError):
        cache.incr("rediscache:missing")
    assert cache.get("rediscache:missing") is None


def test_incr_many_moves_every_counter_in_one_round_trip(monkeypatch):
    cache.set("rediscache:a", 10, None)
    with counting_redis(monkeypatch) as counted:
        moved = cache.incr_many({"rediscache:a": 0, "rediscache:b": 100})
    assert counted.round_trips == 1
    assert moved == {"rediscache:a": 11, "rediscache:b": 101}
    assert cache.get_many(["rediscache:a", "rediscache:b"]) == {"rediscache:a": 11, "rediscache:b": 101}

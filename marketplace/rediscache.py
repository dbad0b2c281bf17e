"""
Django's Redis cache with one Redis client and connection pool per process.

Django 5.2's ``RedisCache`` builds its ``RedisCacheClient`` lazily per backend
instance, and ``caches`` makes one backend instance per alias and per thread (an
``asgiref.local.Local``): every thread (the browser tests' live server, a threaded
server, Celery's threads) got a pool of its own. Worse, ``RedisCacheClient.get_client``
builds a new ``redis.Redis`` object for every command (its ``__init__`` copies the
response callbacks and sets up the connection's options each time): CPU on every cache
read of every request.

Here every backend instance of one process and the same servers and options shares one
``RedisCacheClient``, whose ``redis.Redis`` objects are built once per pool (a
``redis.Redis`` over a pool is safe to share between threads). A forked child (gunicorn
pre-loads the app, Celery's prefork pool) builds its own on first use: sockets are
never shared between processes.

Inside ``prefetched(keys)`` (``marketplace.requestcache``: one per request) the keys
given are read in one MGET when it starts, and reads of them (``get``, ``get_many``)
are answered from that until the request ends; any write of one of them through this
backend (set, add, delete, incr, ...) forgets it first, so the request reads its own
writes. Another process's change shows on the next request, which reads afresh.

``incr`` is one round-trip (a Lua script: INCR only if the key exists) instead of
Django's EXISTS then INCR, and ``incr_many`` bumps several counters in one script
(``pagecache.versions``).
"""

import os
import threading
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# INCRBY only an existing key (Django's incr raises ValueError for a missing key).
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""

# For each key: SETNX it to its start value (ARGV[i + 1]) when missing, then INCRBY ARGV[1].
# Atomic: no reader sees some of the keys moved and not the others.
_INCR_MANY = """
local out = {}
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[i + 1], 'NX')
  out[i] = redis.call('INCRBY', key, ARGV[1])
end
return out
"""


class SharedRedisCacheClient(RedisCacheClient):
    """``RedisCacheClient`` building one ``redis.Redis`` per pool, not one per command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}
        self._lock = threading.Lock()

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        pool = self._pools.get(index)
        if pool is None:
            with self._lock:
                pool = self._pools.get(index)
                if pool is None:
                    pool = self._pools[index] = self._pool_class.from_url(
                        self._servers[index], **self._pool_options
                    )
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _script(self, source):
        script = self._scripts.get(source)
        if script is None:
            # Sent by SHA (EVALSHA), loaded again by redis-py if the server lost it.
            script = self._scripts[source] = self.get_client(write=True).register_script(source)
        return script

    def incr(self, key, delta):
        value = self._script(_INCR_EXISTING)(keys=[key], args=[delta], client=self.get_client(key, write=True))
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def incr_many(self, starts, delta):
        keys = list(starts)
        values = self._script(_INCR_MANY)(
            keys=keys, args=[delta, *(starts[key] for key in keys)], client=self.get_client(None, write=True)
        )
        return dict(zip(keys, values, strict=True))


_SHARED = {}
_SHARED_LOCK = threading.Lock()


def _shared_client(servers, options):
    """The process's client for these servers and options (a new one after a fork)."""
    key = (os.getpid(), tuple(servers), repr(sorted(options.items())))
    client = _SHARED.get(key)
    if client is None:
        with _SHARED_LOCK:
            client = _SHARED.get(key)
            if client is None:
                for stale in [k for k in _SHARED if k[0] != key[0]]:
                    del _SHARED[stale]  # the parent's, before a fork: never used here
                client = _SHARED[key] = SharedRedisCacheClient(servers, **options)
    return client


_ABSENT = object()
_REQUEST = threading.local()  # .memo: {full key: value or _ABSENT} while a request runs


def _memo():
    return getattr(_REQUEST, "memo", None)


def _forget(full_keys):
    memo = _memo()
    if memo:
        for full in full_keys:
            memo.pop(full, None)


class SharedRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` over one client per process."""

    @contextmanager
    def prefetched(self, keys):
        """Read ``keys`` now in one round-trip; reads of them inside are answered from that."""
        outer = _memo()
        full = {self.make_and_validate_key(key): key for key in dict.fromkeys(keys)}
        if outer is not None:
            full = {k: key for k, key in full.items() if k not in outer}
        # Kept as Redis sent them and unpickled on each read, as a GET would: every read
        # gets objects of its own (a session's dict is changed in place before it is saved).
        raw = self._cache.get_client(None).mget(list(full)) if full else []
        memo = dict(outer or {})
        memo.update({k: _ABSENT if v is None else v for k, v in zip(full, raw, strict=True)})
        _REQUEST.memo = memo
        try:
            yield
        finally:
            _REQUEST.memo = outer

    def get(self, key, default=None, version=None):
        memo = _memo()
        if memo:
            full = self.make_and_validate_key(key, version=version)
            value = memo.get(full)
            if value is not None:
                return default if value is _ABSENT else self._cache._serializer.loads(value)
            return self._cache.get(full, default)
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        memo = _memo()
        if not memo:
            return super().get_many(keys, version)
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        out, wanted = {}, []
        for full, key in key_map.items():
            value = memo.get(full)
            if value is None:
                wanted.append(full)
            elif value is not _ABSENT:
                out[key] = self._cache._serializer.loads(value)
        if wanted:
            out.update({key_map[k]: v for k, v in self._cache.get_many(wanted).items()})
        return out

    def _written(self, keys, version=None):
        if _memo():
            _forget([self.make_and_validate_key(key, version=version) for key in keys])

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._written([key], version)
        return super().add(key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._written([key], version)
        return super().set(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._written([key], version)
        return super().touch(key, timeout, version)

    def delete(self, key, version=None):
        self._written([key], version)
        return super().delete(key, version)

    def incr(self, key, delta=1, version=None):
        self._written([key], version)
        return super().incr(key, delta, version)

    def decr(self, key, delta=1, version=None):
        self._written([key], version)
        return super().decr(key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self._written(list(data), version)
        return super().set_many(data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._written(keys, version)
        return super().delete_many(keys, version)

    def clear(self):
        if _memo():
            _memo().clear()
        return super().clear()

    _bound = (None, None)

    @property
    def _cache(self):
        # A property, not Django's cached_property: checked against the process id on
        # each use, so a backend instance made before a fork talks through the child's pool.
        pid, client = self._bound
        if pid != os.getpid():
            client = _shared_client(self._servers, self._options)
            self._bound = (os.getpid(), client)
        return client

    def incr_many(self, starts: dict, delta: int = 1, version=None) -> dict:
        """Increment several counters in one atomic round-trip; a missing one starts at
        ``starts[key]`` first. Returns the new values by the keys given."""
        if not starts:
            return {}
        made = {self.make_and_validate_key(key, version=version): key for key in starts}
        _forget(made)
        values = self._cache.incr_many({full: starts[key] for full, key in made.items()}, delta)
        return {made[full]: value for full, value in values.items()}

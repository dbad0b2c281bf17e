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

``incr`` is one round-trip (a Lua script: INCR only if the key exists) instead of
Django's EXISTS then INCR, and ``incr_many`` bumps several counters in one script
(``pagecache.versions``).
"""

import os
import threading

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


class SharedRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` over one client per process."""

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
        values = self._cache.incr_many({full: starts[key] for full, key in made.items()}, delta)
        return {made[full]: value for full, value in values.items()}

"""
The Redis path of admission: one Lua script per step, each one round trip and atomic.

Keys of one sale item share the hash tag ``{<item id>}``, so on a Redis Cluster an
item lives on one node and items spread over the nodes (see the README):

- ``fs:{7}``          hash: ``units``, ``taken`` (reserved + ordered), ``ordered``,
                      ``starts``/``ends`` (ms), ``limit``, ``per_order`` (0: none), ``stopped``
- ``fs:{7}:exp``      sorted set: reservation token -> expiry (ms)
- ``fs:{7}:res``      hash: token -> ``<quantity>|<shopper>``
- ``fs:{7}:tally``    hash: shopper -> units held (reserved or ordered)

Every script first gives back the units of reservations whose expiry has passed
(by Redis's own clock, the one the expiries were set with), so an expired
reservation is never counted as taken. The database stores the same expiry the
script returned, so both agree on when a reservation ends.
"""

from functools import cache

import redis
from django.conf import settings

# Gives back up to 200 expired reservations of the item (bounded work per call);
# the beat sweep catches up with any more.
_PURGE = """
local function purge(meta, exp, res, tally, now)
  local due = redis.call('ZRANGEBYSCORE', exp, '-inf', now, 'LIMIT', 0, 200)
  for _, token in ipairs(due) do
    local held = redis.call('HGET', res, token)
    if held then
      local sep = string.find(held, '|', 1, true)
      local q = tonumber(string.sub(held, 1, sep - 1))
      local who = string.sub(held, sep + 1)
      redis.call('HINCRBY', meta, 'taken', -q)
      if redis.call('HINCRBY', tally, who, -q) <= 0 then redis.call('HDEL', tally, who) end
      redis.call('HDEL', res, token)
    end
    redis.call('ZREM', exp, token)
  end
end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
"""

# KEYS: meta, exp, res, tally. ARGV: shopper, quantity, token, ttl ms.
# Returns {code, units left, expiry ms}; code: ok, unknown, not_started, ended,
# order_limit, shopper_limit, sold_out, not_enough (the order of ``rules.claim_refusal``).
CLAIM = _PURGE + """
local meta, exp, res, tally = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local shopper, q, token, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
if redis.call('EXISTS', meta) == 0 then return {'unknown', 0, 0} end
local now = clock()
purge(meta, exp, res, tally, now)
local m = redis.call('HMGET', meta, 'units', 'taken', 'starts', 'ends', 'limit', 'per_order', 'stopped')
local units, taken = tonumber(m[1]), tonumber(m[2])
local left = units - taken
if now < tonumber(m[3]) then return {'not_started', left, 0} end
if m[7] == '1' or now >= tonumber(m[4]) then return {'ended', left, 0} end
local per_order = tonumber(m[6])
if per_order > 0 and q > per_order then return {'order_limit', left, 0} end
local mine = tonumber(redis.call('HGET', tally, shopper) or '0')
if mine + q > tonumber(m[5]) then return {'shopper_limit', left, 0} end
if left <= 0 then return {'sold_out', 0, 0} end
if q > left then return {'not_enough', left, 0} end
local expires = now + ttl
redis.call('HINCRBY', meta, 'taken', q)
redis.call('HINCRBY', tally, shopper, q)
redis.call('ZADD', exp, expires, token)
redis.call('HSET', res, token, q .. '|' .. shopper)
return {'ok', left - q, expires}
"""

# A reservation became an order: run after the order committed (PostgreSQL decided).
# KEYS: meta, exp, res, tally. ARGV: token, quantity, shopper. Returns 1 if it was held,
# 0 if Redis had purged it (its expiry passed by Redis's clock after the database's
# check): the unit is counted taken again, so it is never claimed a second time.
ORDER = _PURGE + """
local meta, exp, res, tally = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = clock()
purge(meta, exp, res, tally, now)
local held = redis.call('HGET', res, ARGV[1])
if not held then
  local q = tonumber(ARGV[2])
  redis.call('HINCRBY', meta, 'taken', q)
  redis.call('HINCRBY', tally, ARGV[3], q)
  redis.call('HINCRBY', meta, 'ordered', q)
  return 0
end
local q = tonumber(string.sub(held, 1, string.find(held, '|', 1, true) - 1))
redis.call('HDEL', res, ARGV[1])
redis.call('ZREM', exp, ARGV[1])
redis.call('HINCRBY', meta, 'ordered', q)
return 1
"""

# Give a held reservation back now (the shopper removed it, or its database write failed).
# KEYS: meta, exp, res, tally. ARGV: token. Returns the units given back.
RELEASE = _PURGE + """
local meta, exp, res, tally = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local held = redis.call('HGET', res, ARGV[1])
if not held then return 0 end
local sep = string.find(held, '|', 1, true)
local q = tonumber(string.sub(held, 1, sep - 1))
local who = string.sub(held, sep + 1)
redis.call('HINCRBY', meta, 'taken', -q)
if redis.call('HINCRBY', tally, who, -q) <= 0 then redis.call('HDEL', tally, who) end
redis.call('HDEL', res, ARGV[1])
redis.call('ZREM', exp, ARGV[1])
return q
"""

# Units left now (expired reservations given back first): what pages and the JSON poll read.
# KEYS: meta, exp, res, tally. Returns {units left, known 1/0}.
LEFT = _PURGE + """
local meta, exp, res, tally = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('EXISTS', meta) == 0 then return {0, 0} end
purge(meta, exp, res, tally, clock())
local m = redis.call('HMGET', meta, 'units', 'taken')
return {tonumber(m[1]) - tonumber(m[2]), 1}
"""


def keys(item_id: int) -> list[str]:
    base = f"fs:{{{item_id}}}"
    return [base, f"{base}:exp", f"{base}:res", f"{base}:tally"]


@cache
def client() -> redis.Redis:
    # One pool per process; short timeouts so a Redis that is down fails a claim
    # quickly (closed) instead of holding a web worker.
    # A bounded pool that waits for a free connection (a burst of threads queues for
    # a few milliseconds instead of failing with "too many connections").
    pool = redis.BlockingConnectionPool.from_url(
        settings.REDIS_URL, max_connections=settings.FLASHSALES_REDIS_CONNECTIONS,
        timeout=settings.FLASHSALES_REDIS_TIMEOUT * 4, socket_timeout=settings.FLASHSALES_REDIS_TIMEOUT,
        socket_connect_timeout=settings.FLASHSALES_REDIS_TIMEOUT, decode_responses=True,
    )
    return redis.Redis(connection_pool=pool)


@cache
def _scripts(connection_id: int):
    connection = client()
    return {name: connection.register_script(source) for name, source in
            (("claim", CLAIM), ("order", ORDER), ("release", RELEASE), ("left", LEFT))}


def run(name: str, item_id: int, *args):
    return _scripts(id(client()))[name](keys=keys(item_id), args=list(args))


def publish(*, item_id: int, units: int, starts_ms: int, ends_ms: int, limit: int, per_order: int | None,
            stopped: bool, taken: int, ordered: int, tallies: dict[str, int]) -> None:
    """Write an item's terms; its counters only where Redis has none (never reset a live count).

    Two processes publishing a missing item at once write the same counts, and a
    claim granted between them is never overwritten (HSETNX everywhere).
    """
    meta, _exp, _res, tally = keys(item_id)
    pipe = client().pipeline(transaction=True)
    for shopper, count in tallies.items():
        pipe.hsetnx(tally, shopper, count)
    pipe.hset(meta, mapping={
        "units": units, "starts": starts_ms, "ends": ends_ms, "limit": limit,
        "per_order": per_order or 0, "stopped": "1" if stopped else "0",
    })
    pipe.hsetnx(meta, "taken", taken)
    pipe.hsetnx(meta, "ordered", ordered)
    pipe.execute()


def forget(item_id: int) -> None:
    client().delete(*keys(item_id))

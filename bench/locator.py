"""
Locator benchmark: SQL queries per request and requests per second of the partner-shop
locator (``/<cc>/retailers/``) with ``--retailers`` shops (10,000) in one channel.

Builds its own PostgreSQL database (``marketplace_bench_locator``, dropped and recreated
on every run), places the shops around Nigeria's towns (a fixed seed: the same shops on
every run), counts the queries of one locator page in-process (rendered with the page
cache off, and served from it), then serves the site with gunicorn on a free local port
and measures throughput with wrk over the locator pages of 40 towns, with the page cache
on and off (the page is kept per minute: a busy minute is served from the cache, the first
request of each town and minute renders). Prints markdown tables for the README; progress
goes to stderr.

    .venv/bin/python bench/locator.py [--retailers 10000] [--workers 2] [--connections 8]
        [--seconds 10]
"""

import argparse
import os
import random
import sys

import redis
import wrk
from serving import HOST, ROOT, gunicorn, manage, positive_int, recreate_database, say

WORK_DIR = ROOT / "var" / "bench-locator"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/marketplace_bench_locator"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
CACHE_PREFIX = "marketplace-bench-locator"
TOWNS = 40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--retailers", type=positive_int, default=10_000)
    parser.add_argument("--workers", type=positive_int, default=2)
    parser.add_argument("--connections", type=positive_int, default=8)
    parser.add_argument("--seconds", type=positive_int, default=10)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis for the cache")
    return parser.parse_args()


def bench_env(args, *, pagecache=True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=CACHE_PREFIX,
        CELERY_TASK_ALWAYS_EAGER="1",
        DEBUG="0",
        PAGECACHE_ENABLED="1" if pagecache else "0",
        MEDIA_ROOT=str(WORK_DIR / "media"),
        STATIC_ROOT=str(WORK_DIR / "static"),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
    )
    return env


def clear_cache(redis_url):
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*"))
    if keys:
        client.delete(*keys)


def build_shops(count: int) -> list[str]:
    """``count`` partner shops in Nigeria within 25 km of its towns; the towns' paths."""
    import datetime
    import math

    from marketplace.channels.models import Channel
    from marketplace.locator.cities import listed_cities
    from marketplace.partner.models import Partner
    from marketplace.retail.models import OpeningHours, Retailer

    channel = Channel.objects.get(country="NG")
    towns = listed_cities("NG")
    rng = random.Random(12)
    partners = Partner.objects.bulk_create(
        Partner(name=f"Bench Shop {n}", slug=f"bench-shop-{n}", is_local_shop=True) for n in range(count)
    )
    shops = []
    for n, partner in enumerate(partners):
        town = towns[n % len(towns)]
        distance, bearing = 25 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = town.point.latitude + distance / 111.2 * math.cos(bearing)
        lng = town.point.longitude + distance / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing)
        shops.append(Retailer(
            partner=partner, channel=channel, slug=f"bench-shop-{n}", name=f"Bench Shop {n}",
            address=f"{n} Market Road", city=town.name, latitude=round(lat, 6),
            longitude=round(lng, 6), phone="+2348031234567", delivery_radius_km=10,
        ))
    shops = Retailer.objects.bulk_create(shops, batch_size=2000)
    OpeningHours.objects.bulk_create(
        (OpeningHours(retailer=shop, weekday=day, opens=datetime.time(8), closes=datetime.time(20))
         for shop in shops for day in range(7)), batch_size=5000,
    )
    return [f"/ng/retailers/?city={town.geoname_id}" for town in towns[:TOWNS]]


def count_queries(paths) -> tuple[int, int, int]:
    """(queries of an uncached render, of a cached visit, shops listed) for the first path."""
    from django.db import connection
    from django.test import Client, override_settings

    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    client = Client()
    client.get("/ng/")  # the channel cookie, as a returning visitor has
    client.get(paths[1])  # the process's first locator page: city data loaded
    with override_settings(PAGECACHE_ENABLED=False), connection.execute_wrapper(counter):
        response = client.get(paths[0])
    rendered = len(executed)
    assert response.status_code == 200, response.status_code
    shops = response.content.decode().count('class="retailer-card"')
    client.get(paths[0])  # into the cache
    executed.clear()
    with connection.execute_wrapper(counter):
        assert client.get(paths[0]).status_code == 200
    return rendered, len(executed), shops


def warm_up(port, paths, workers):
    """Each worker's first request loads the city data and imports (seconds on a busy
    machine): not what a visitor of a running site waits for."""
    import urllib.request

    for _ in range(workers * 2):
        for path in paths:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=60) as answer:
                answer.read()


def main():
    args = parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env(args)
    say(f"Recreating {args.database_url} and migrating…")
    recreate_database(args.database_url)
    clear_cache(args.redis_url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    say(f"Placing {args.retailers} partner shops in Nigeria…")
    paths = build_shops(args.retailers)
    rendered, cached, shops = count_queries(paths)
    from django.db import connection

    connection.close()
    results = {}
    for label, pagecache in (("page cache on", True), ("page cache off", False)):
        clear_cache(args.redis_url)
        say(f"Serving with {label}: wrk {args.seconds} s over {len(paths)} towns…")
        with gunicorn(args.workers, bench_env(args, pagecache=pagecache), WORK_DIR / "gunicorn.log") as port:
            warm_up(port, paths, args.workers)
            results[label] = wrk.run(f"http://{HOST}:{port}", paths, seconds=args.seconds,
                                     connections=args.connections)
    print(f"Locator with {args.retailers:,} partner shops in one channel (NG), "
          f"{shops} nearest listed per page\n")
    print("| page | queries (rendered) | queries (from the cache) |")
    print("|---|---|---|")
    print(f"| `/ng/retailers/?city=…` | {rendered} | {cached} |\n")
    print("| page cache | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    for label, result in results.items():
        print(f"| {label.split()[-1]} | {result.requests_per_second:.0f} | "
              f"{result.latency_p50_ms:.1f} | {result.latency_p99_ms:.1f} | {result.errors} |")


if __name__ == "__main__":
    main()

"""
What one flash-sale answer costs inside one web process: CPU time and queries, no network.

Builds the demo and the bench sale as ``flash_sale.py`` does (its own PostgreSQL
database, dropped and recreated; Redis claims), then calls the WSGI application
gunicorn serves (``marketplace.wsgi``: the fast path in front of Django) directly,
one request at a time: the sale page and the status poll as a crowd reloads them,
``--units`` granted claims (each a new guest), then as many sold-out claims through
the fast path (JSON, what the API and the bench send) and through Django (a form's
post). It prints per answer the mean, p50 and p95 in milliseconds and the queries
per answer. Figures per process: the crowd bench's rate is roughly these times the
web processes the cores can run, less what the network and the server cost.

The admission gate is off here (``FLASHSALES_ADMIT_PER_SECOND=0``): this measures a
claim, not the waiting room.

    .venv/bin/python bench/flash_costs.py [--units 200] [--skip-build] [--profile [LINES]]
"""

import argparse
import cProfile
import logging
import os
import platform
import pstats
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flash_sale import (  # noqa: E402  (next to this file)
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    WORK_DIR,
    bench_env,
    build_sales,
    clear_redis,
    setup_django,
)
from serving import manage, positive_int, recreate_database, say  # noqa: E402

CODE = "ng"
_NOT_QUERIES = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")  # a transaction's edges


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--units", type=positive_int, default=200, help="granted claims measured")
    parser.add_argument("--reloads", type=positive_int, default=500, help="page and poll requests measured")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FLASH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_FLASH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--skip-build", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--profile", type=int, nargs="?", const=30, default=0, metavar="LINES",
                        help="cProfile the granted claims; print the functions costing most (cumulative)")
    return parser.parse_args()


class Caller:
    """One WSGI request at a time into the application, timed, its queries counted."""

    def __init__(self, app, connection):
        self.app, self.connection = app, connection
        self.rows = {}
        self.statements = {}  # the first answer's statements per step

    def call(self, step, method, path, *, query="", cookies=None, headers=None):
        from django.test.utils import CaptureQueriesContext

        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=int(status.split()[0]), headers=response_headers)

        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "SCRIPT_NAME": "",
            "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr, "CONTENT_LENGTH": "0",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()), **(headers or {}),
        }
        with CaptureQueriesContext(self.connection) as queries:
            begun = time.perf_counter()
            result = self.app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
            seconds = time.perf_counter() - begun
        times, counts, statuses = self.rows.setdefault(step, ([], [], {}))
        times.append(seconds)
        counts.append(sum(not q["sql"].startswith(_NOT_QUERIES) for q in queries.captured_queries))
        self.statements.setdefault(step, [" ".join(q["sql"].split()[:3])[:60] for q in queries.captured_queries])
        statuses[started["status"]] = statuses.get(started["status"], 0) + 1
        return started["status"], body

    def report(self):
        print("| answer | n | mean ms | p50 ms | p95 ms | queries each | statuses |\n|---|---|---|---|---|---|---|")
        for step, (times, counts, statuses) in self.rows.items():
            ms = sorted(t * 1000 for t in times)
            p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
            spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
            print(f"| {step} | {len(ms)} | {statistics.fmean(ms):.2f} | {statistics.median(ms):.2f} | {p95:.2f} | "
                  f"{spread} | {statuses} |")
        print("\nStatements of the first answer of each kind (queries above: without BEGIN and COMMIT; the first "
              "granted claim also puts the item's counts into Redis):")
        for step, statements in self.statements.items():
            print(f"- {step}: {'; '.join(statements) or 'none'}")


def main():
    args = parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env(args)
    env["FLASHSALES_ADMIT_PER_SECOND"] = "0"
    env["CELERY_TASK_ALWAYS_EAGER"] = "1"  # no worker here: what a claim costs, as before
    clear_redis(args.redis_url)
    if not args.skip_build:
        say("building the demo database (migrate, seed_demo, collectstatic) ...")
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
    setup_django(env)
    from django.conf import settings
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string

    shop = build_sales(args.units)[CODE]
    clear_redis(args.redis_url)
    from marketplace.wsgi import application  # (sets Django's logging up again)

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 409 per sold-out claim is no news

    caller = Caller(application, connection)
    item, claim_path = shop["item"], f"/{CODE}/flash-sales/items/{shop['item']}/claim/"

    def guest():
        secret = _get_new_csrf_string()
        return {settings.CHANNEL_COOKIE_NAME: CODE, "csrftoken": secret}, {"HTTP_X_CSRFTOKEN": secret}

    print(f"## Flash-sale costs per answer in one process, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"- machine: {platform.node()}, {os.cpu_count()} cores, load before: {os.getloadavg()}")
    print(f"- one hot item in /{CODE}/, {args.units} units, Redis claims, {settings.DATABASES['default']['ENGINE']}\n")
    # Warm: the page kept, the card and the counts cached, as on a running site.
    cookies, _headers = guest()
    for _ in range(2):
        caller.call("warm-up", "GET", f"/{CODE}/flash-sales/", cookies=cookies)
        caller.call("warm-up", "GET", f"/{CODE}/flash-sales/status/", query=f"items={item}")
    caller.rows.clear()
    for _ in range(args.reloads):
        caller.call("sale page (fast path)", "GET", f"/{CODE}/flash-sales/", cookies=guest()[0])
        # A session cookie (unknown: an anonymous visitor all the same): Django and its page cache.
        caller.call("sale page (Django, with a session cookie)", "GET", f"/{CODE}/flash-sales/",
                    cookies={**guest()[0], settings.SESSION_COOKIE_NAME: "x" * 32})
        caller.call("status poll (fast path)", "GET", f"/{CODE}/flash-sales/status/", query=f"items={item}")
    granted = 0
    profiler = cProfile.Profile() if args.profile else None
    while True:
        cookies, headers = guest()
        if profiler is not None and granted < args.units:
            profiler.enable()
        status, _body = caller.call("claim granted" if granted < args.units else "claim sold out (fast path)",
                                    "POST", claim_path, cookies=cookies,
                                    headers={**headers, "HTTP_ACCEPT": "application/json"})
        if profiler is not None:
            profiler.disable()
        if status != 200:
            break
        granted += 1
    for _ in range(args.units):
        cookies, headers = guest()
        caller.call("claim sold out (fast path)", "POST", claim_path, cookies=cookies,
                    headers={**headers, "HTTP_ACCEPT": "application/json"})
        caller.call("claim sold out (Django, a form's post)", "POST", claim_path, cookies=cookies,
                    headers={**headers, "HTTP_ACCEPT": "text/html"})
    caller.report()
    if profiler is not None:
        print(f"\nWhere a granted claim's time goes ({granted} claims, cProfile, cumulative):\n```")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        print("```")
    print(f"\n- granted: {granted} of {args.units} units; load after: {os.getloadavg()}")
    return 0 if granted == args.units else 1


if __name__ == "__main__":
    sys.exit(main())

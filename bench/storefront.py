"""
Storefront benchmark: SQL queries per page and requests per second.

Builds a catalogue of ``--products`` products in a dedicated PostgreSQL database
(dropped and recreated on every run so figures are repeatable), counts the SQL
queries of each storefront page in-process, then serves the site with gunicorn
and measures throughput with a concurrent HTTP client on 127.0.0.1. Prints a
markdown table for the README; progress goes to stderr.

    .venv/bin/python bench/storefront.py [--products 1000] [--workers 2]
        [--concurrency 8] [--requests 300] [--channels ng,ci]
"""

import argparse
import http.client
import itertools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# Media (images, thumbnails) and the server log of the last run; var/ is ignored by git.
WORK_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/marketplace_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
# A key namespace of its own, so clearing it before a run touches nobody else's keys.
CACHE_PREFIX = "marketplace-bench"
SEARCH_QUERY = "redmi"
CATEGORY_QUERY_TARGET = 20
# Generated titles cycle through these so searches for a brand find more as the catalogue grows.
TITLE_FAMILIES = ("Redmi", "Tecno Spark", "POCO", "Xiaomi", "Tecno Camon")
VARIANTS = ("4GB+128GB", "8GB+256GB")
VARIANT_EVERY = 5


@dataclass
class Load:
    """What the concurrent client saw for one page."""

    seconds: float
    latencies: list[float]
    errors: int

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, pct: int) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, len(ordered) * pct // 100)]


@dataclass
class Row:
    channel: str
    page: str
    url: str
    # Queries per request (or "HTTP <status>") at each catalogue size measured.
    queries: list[int | str] = field(default_factory=list)
    load: Load | None = None


def positive_int(text) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--products", type=positive_int, default=1000,
                        help="catalogue size to build (default: 1000)")
    parser.add_argument("--small-products", type=positive_int, default=100,
                        help="smaller catalogue whose query counts are shown too (default: 100)")
    parser.add_argument("--workers", type=positive_int, default=os.cpu_count() or 2,
                        help="gunicorn workers (default: one per CPU core)")
    parser.add_argument("--concurrency", type=positive_int, default=8,
                        help="concurrent client connections (default: 8)")
    parser.add_argument("--requests", type=positive_int, default=300,
                        help="requests per page and channel (default: 300)")
    parser.add_argument("--max-seconds", type=float, default=60,
                        help="time cap per page and channel (default: 60)")
    parser.add_argument("--channels", default="ng,ci",
                        help="comma-separated channel codes (default: ng,ci)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help="PostgreSQL database to DROP and recreate (name must contain 'bench')")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis for the cache")
    args = parser.parse_args()
    args.channels = [code.strip().lower() for code in args.channels.split(",") if code.strip()]
    return args


def say(message):
    print(message, file=sys.stderr, flush=True)


def bench_env(args) -> dict[str, str]:
    """The environment shared by migrate, seed_demo, this process and gunicorn."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=CACHE_PREFIX,
        # With Redis configured tasks would be queued for a worker that is not running.
        CELERY_TASK_ALWAYS_EAGER="1",
        DEBUG="0",
        SERVE_MEDIA="1",
        MEDIA_ROOT=str(WORK_DIR / "media"),
        STATIC_ROOT=str(WORK_DIR / "static"),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
    )
    return env


def recreate_database(database_url):
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    # Django options such as ?conn_max_age=60 mean nothing to libpq: leave them out.
    maintenance_url = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def clear_cache(redis_url):
    # Cached channels and thumbnail entries would point at rows of the dropped database.
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*"))
    if keys:
        client.delete(*keys)


def manage(env, *command):
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Django models can only be imported after setup_django(), hence the imports in functions.


def load_channels(codes):
    from marketplace.channels.models import Channel

    channels = {c.code: c for c in Channel.objects.active()}
    unknown = sorted(set(codes) - set(channels))
    if unknown:
        sys.exit(f"Unknown or inactive channels: {', '.join(unknown)}")
    return [channels[code] for code in codes]


def catalogue_size(channels) -> int:
    """Browsable products sold in every one of ``channels``."""
    from oscar.apps.catalogue.models import Product

    from marketplace.partner.selectors import sold_in_channel

    return min(Product.objects.browsable().filter(sold_in_channel(c)).count() for c in channels)


def most_offered_product(channel):
    """The product with the most live offers in the channel: its page is the heaviest."""
    from oscar.apps.catalogue.models import Product

    from marketplace.partner.selectors import live_listings

    listings = live_listings(channel).filter(product__is_public=True)
    pairs = listings.values_list("product__parent", "product")
    offers = Counter(parent or pk for parent, pk in pairs)
    return Product.objects.get(pk=max(offers, key=lambda pk: (offers[pk], -pk)))


def page_urls(channel) -> dict[str, str]:
    """The benchmarked URLs, reversed the way the channel middleware makes a request do it."""
    from django.conf import settings
    from django.urls import reverse, set_script_prefix, set_urlconf
    from oscar.apps.catalogue.models import Category

    # The first category the home page links to.
    category = Category.objects.get_root_nodes().filter(is_public=True).first()
    product = most_offered_product(channel)
    set_urlconf(settings.STOREFRONT_URLCONF)
    set_script_prefix(f"/{channel.code}/")
    try:
        return {
            "home": reverse("home"),
            "category": category.get_absolute_url(),
            "product": product.get_absolute_url(),
            "search": f"{reverse('search:search')}?q={SEARCH_QUERY}",
        }
    finally:
        set_urlconf(None)
        set_script_prefix("/")


def count_queries(url) -> int | str:
    """Queries of an anonymous first visit (no cookies), after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # A running site has its thumbnails made and caches filled: warm them first.
    Client(raise_request_exception=False).get(url)
    with CaptureQueriesContext(connection) as captured:
        response = Client(raise_request_exception=False).get(url)
    return len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"


def category_samples():
    """``(category, product class, image)`` of a seeded product in each public category."""
    from oscar.apps.catalogue.models import Category, Product

    samples = []
    for category in Category.objects.filter(is_public=True).order_by("path"):
        sample = Product.objects.filter(categories=category).order_by("pk").first()
        if sample is not None:
            image = sample.images.values_list("original", flat=True).first()
            samples.append((category, sample.product_class, image))
    return samples


def new_product(i, category, product_class):
    from django.utils.text import slugify
    from oscar.apps.catalogue.models import Product

    title = f"{TITLE_FAMILIES[i % len(TITLE_FAMILIES)]} {category.name} {i:04d}"
    # Some have variants, as the seeded phones do, so pages show the same mix at any size.
    structure = Product.PARENT if i % VARIANT_EVERY == 0 else Product.STANDALONE
    return Product(
        upc=f"BENCH-{i:05d}", title=title, slug=slugify(title), structure=structure,
        product_class=product_class, is_public=True,
    )


def new_variants(parent):
    from django.utils.text import slugify
    from oscar.apps.catalogue.models import Product

    return [
        Product(
            upc=f"{parent.upc}-{k}", title=f"{parent.title} {name}",
            slug=slugify(f"{parent.title} {name}"), structure=Product.CHILD, parent=parent,
            is_public=True,
        )
        for k, name in enumerate(VARIANTS)
    ]


def new_listings(sellable, channels):
    from marketplace.demo.management.commands.seed_demo import shelf_price_excl_tax
    from marketplace.partner.models import Partner, StockRecord

    for channel in channels:
        sellers = list(Partner.objects.filter(channels=channel).order_by("pk"))
        for i, product in enumerate(sellable):
            yield StockRecord(
                product=product,
                partner=sellers[i % len(sellers)],
                channel=channel,
                partner_sku=product.upc,
                price=shelf_price_excl_tax(20 + (i * 37) % 400, channel),
                # bulk_create skips StockRecord.save(), which takes it from the channel.
                price_currency=channel.currency,
                num_in_stock=50,
                is_live=True,
            )


def add_products(total, channels):
    """Add generated products until ``total`` are sold in every channel, in bulk."""
    from django.db import transaction
    from oscar.apps.catalogue.models import Product, ProductCategory, ProductImage

    from marketplace.partner.models import StockRecord

    missing = total - catalogue_size(channels)
    if missing <= 0:
        return
    # Numbering continues after products generated by an earlier call.
    start = Product.objects.filter(upc__startswith="BENCH-", parent=None).count()
    numbers = range(start, start + missing)
    # Each generated product takes the class and image of a seeded product of its category.
    samples = category_samples()
    specs = [samples[i % len(samples)] for i in numbers]
    with transaction.atomic():
        products = Product.objects.bulk_create(
            new_product(i, category, product_class)
            for i, (category, product_class, _image) in zip(numbers, specs, strict=True)
        )
        ProductCategory.objects.bulk_create(
            ProductCategory(product=product, category=category)
            for product, (category, _class, _image) in zip(products, specs, strict=True)
        )
        ProductImage.objects.bulk_create(
            ProductImage(product=product, original=image, caption=product.title)
            for product, (_category, _class, image) in zip(products, specs, strict=True)
            if image
        )
        variants = Product.objects.bulk_create(
            variant for product in products if product.is_parent
            for variant in new_variants(product)
        )
        sellable = [product for product in products if not product.is_parent] + variants
        StockRecord.objects.bulk_create(new_listings(sellable, channels))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers, env, log_path):
    """A gunicorn serving the site on a free local port; always stopped on exit."""
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application",
             "-w", str(workers), "-b", f"{HOST}:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(server, port, log_path)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(server, port, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{Path(log_path).read_text()}")
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    sys.exit(f"gunicorn did not answer within {timeout} s; see {log_path}")


def hammer(port, path, total, concurrency, max_seconds) -> Load:
    """GET ``path`` ``total`` times (or until the time cap) from ``concurrency`` connections."""
    tickets = itertools.count()  # next() on it is atomic under the GIL: a shared request budget
    results = []  # (seconds, ok); list.append is thread-safe
    deadline = time.monotonic() + max_seconds

    def client():
        # Keep-alive where the server allows it; http.client reconnects when it closes.
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while next(tickets) < total and time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    ok = False
                results.append((time.perf_counter() - started, ok))
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(
        seconds=time.perf_counter() - started,
        latencies=[seconds for seconds, _ok in results],
        errors=sum(not ok for _seconds, ok in results),
    )


def measure_queries(rows):
    for row in rows:
        row.queries.append(count_queries(row.url))


def measure_load(rows, args, env):
    log_path = WORK_DIR / "gunicorn.log"
    with gunicorn(args.workers, env, log_path) as port:
        # Every worker renders each page once before the clock starts.
        for row in rows:
            hammer(port, row.url, 2 * args.workers, args.concurrency, args.max_seconds)
        for row in rows:
            say(f"  {row.channel} {row.page}: {row.url}")
            row.load = hammer(port, row.url, args.requests, args.concurrency, args.max_seconds)
    if any(row.load.errors for row in rows):
        say(f"Errors during the load test; server log: {log_path}")


def print_report(rows, sizes, args):
    from django.db import connection

    connection.ensure_connection()
    server = connection.pg_version
    print(
        f"Storefront benchmark: {sizes[-1]} products, PostgreSQL {server // 10000}, "
        f"{os.cpu_count()} CPU cores, gunicorn {args.workers} sync workers, "
        f"{args.concurrency} concurrent connections, up to {args.requests} requests per page "
        f"(cap {args.max_seconds:g} s). Anonymous visitors, HTML only "
        "(no static files or images).\n"
        f"Pages: the channel's home, its first category, its product with the most offers, "
        f"a search for {SEARCH_QUERY!r}.\n"
    )
    query_heads = [f"queries @ {size} products" for size in sizes]
    heads = ["channel", "page", *query_heads, "requests", "req/s", "p50 ms", "p95 ms", "errors"]
    print("| " + " | ".join(heads) + " |")
    print("|---|---|" + "---:|" * (len(heads) - 2))
    for row in rows:
        load = row.load
        cells = [row.channel.upper(), row.page, *map(str, row.queries), str(len(load.latencies)),
                 f"{load.requests_per_second:.1f}", f"{load.percentile_ms(50):.0f}",
                 f"{load.percentile_ms(95):.0f}", str(load.errors)]
        print("| " + " | ".join(cells) + " |")

    category = [q for row in rows if row.page == "category" for q in row.queries]
    worst = max(category, key=lambda q: q if isinstance(q, int) else float("inf"))
    verdict = "met" if isinstance(worst, int) and worst <= CATEGORY_QUERY_TARGET else "NOT met"
    print(f"\nCategory page: at most {worst} queries "
          f"(target <= {CATEGORY_QUERY_TARGET}): {verdict}.")
    if len(sizes) > 1:
        changed = [f"{row.channel} {row.page}" for row in rows if len(set(row.queries)) > 1]
        print("Query count independent of catalogue size: "
              + (f"NO, it changes for {', '.join(changed)}." if changed else "yes."))


def main():
    args = parse_args()
    env = bench_env(args)
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)

    say(f"Recreating {urlsplit(args.database_url).path.lstrip('/')} and seeding the demo…")
    recreate_database(args.database_url)
    clear_cache(args.redis_url)
    manage(env, "migrate", "--noinput")
    # Hashed static files, as a deploy serves them (the manifest storage needs them collected).
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    setup_django(env)

    channels = load_channels(args.channels)
    rows = [
        Row(channel.code, page, url)
        for channel in channels
        for page, url in page_urls(channel).items()
    ]
    # Counted at a small and at the full size: the same kind of page, many more rows behind it.
    sizes = []
    for target in sorted({min(args.small_products, args.products), args.products}):
        say(f"Adding products up to {target}…")
        add_products(target, channels)
        size = catalogue_size(channels)
        if size not in sizes:
            say(f"Counting queries at {size} products…")
            sizes.append(size)
            measure_queries(rows)

    say(f"Load test: gunicorn with {args.workers} workers, {args.concurrency} connections…")
    measure_load(rows, args, env)
    print_report(rows, sizes, args)


if __name__ == "__main__":
    main()

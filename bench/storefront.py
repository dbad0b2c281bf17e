"""
Storefront benchmark: SQL queries per page and requests per second, beside plain Oscar.

Builds a catalogue of ``--products`` products in a dedicated PostgreSQL database
(dropped and recreated on every run so figures are repeatable), counts the SQL
queries of each storefront page in-process (rendered with the page cache off, and
served from it), then serves the site with gunicorn
and measures throughput with wrk on 127.0.0.1: the home page, the first category,
product pages over 100 products and searches over 100 words of ten matches each (a
cached answer to one URL proves nothing about the others), for an anonymous visitor and
for a signed-in shopper with two items in the basket, in each channel. With
``--against-oscar`` it builds the plain django-oscar shop of
``../shared/anchors/vanilla_oscar/`` (same catalogue size, same pages), serves it with
the same gunicorn settings, drives it with the same wrk, and prints both figures and
their ratio. Prints markdown tables for the README; progress goes to stderr.

    .venv/bin/python bench/storefront.py [--against-oscar] [--products 1000]
        [--workers 2] [--connections 8] [--seconds 10] [--channels ng,ci]
"""

import argparse
import http.client
import os
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anchor
import redis
import wrk
from serving import (
    HOST,
    ROOT,
    cache_prefix,
    database_url,
    gunicorn,
    manage,
    positive_int,
    recreate_database,
    redis_url,
    say,
)

# Media (images, thumbnails) and the server log of the last run; var/ is ignored by git.
WORK_DIR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = database_url("marketplace_bench")
DEFAULT_REDIS_URL = redis_url("redis://127.0.0.1:6379/1")
# A key namespace of its own, so clearing it before a run touches nobody else's keys.
CACHE_PREFIX = cache_prefix("marketplace-bench")
# Generated titles carry a word "M0420" so that "M042" finds exactly ten products, as the plain
# Oscar recipe's "Device 0042" does in its catalogue: the same number of matches per query.
SEARCH_WORD = "M{:03d}"
SEARCHES = 100
PRODUCT_PAGES = 100
# Query-count goals of the speed issue (plain Oscar's own counts or less), per page.
QUERY_GOALS = {"home": 10, "category": 8, "product": 10, "search": 10}
# Generated titles cycle through these so searches for a brand find more as the catalogue grows.
TITLE_FAMILIES = ("Redmi", "Tecno Spark", "POCO", "Xiaomi", "Tecno Camon")
VARIANTS = ("4GB+128GB", "8GB+256GB")
VARIANT_EVERY = 5
SHOPPER_EMAIL = "bench.shopper@example.com"


@dataclass
class Row:
    site: str  # "here" or "oscar"
    channel: str  # "ng", "ci"; "" for plain Oscar
    page: str
    paths: list[str]
    visitor: str = "anonymous"  # or "signed in"
    cookie: str = ""
    # Queries per request (or "HTTP <status>") at each catalogue size measured.
    queries: list[int | str] = field(default_factory=list)
    # Queries of the same visit served from the page cache, at the full size.
    cached_queries: int | str = "?"
    load: "wrk.WrkResult | None" = None
    # Pages rendered afresh during the measured seconds (this project only).
    renders: int | str = "–"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--against-oscar", action="store_true",
                        help="build plain django-oscar beside it and print both figures")
    parser.add_argument("--products", type=positive_int, default=1000,
                        help="catalogue size to build (default: 1000, plain Oscar's size)")
    parser.add_argument("--small-products", type=positive_int, default=100,
                        help="smaller catalogue whose query counts are shown too (default: 100)")
    parser.add_argument("--workers", type=positive_int, default=2,
                        help="gunicorn sync workers, for both sites (default: 2)")
    parser.add_argument("--connections", type=positive_int, default=8,
                        help="wrk connections (default: 8)")
    parser.add_argument("--seconds", type=positive_int, default=10,
                        help="wrk duration per page (default: 10)")
    parser.add_argument("--channels", default="ng,ci",
                        help="comma-separated channel codes (default: ng,ci: English, French)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help="PostgreSQL database to DROP and recreate (name must contain 'bench')")
    parser.add_argument("--anchor-database-url", default=None,
                        help="plain Oscar's database, also dropped and recreated")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis for the cache")
    args = parser.parse_args()
    args.channels = [code.strip().lower() for code in args.channels.split(",") if code.strip()]
    return args


def bench_env(args, prefix=CACHE_PREFIX) -> dict[str, str]:
    """The environment shared by migrate, seed_demo, this process and gunicorn."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=prefix,
        # With Redis configured tasks would be queued for a worker that is not running.
        CELERY_TASK_ALWAYS_EAGER="1",
        DEBUG="0",
        SERVE_MEDIA="1",
        MEDIA_ROOT=str(WORK_DIR / "media"),
        STATIC_ROOT=str(WORK_DIR / "static"),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
    )
    return env


def clear_cache(url, prefix=CACHE_PREFIX):
    # Cached channels and thumbnail entries would point at rows of the dropped database.
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


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


def page_paths(channel) -> dict[str, list[str]]:
    """The benchmarked paths per page, reversed the way the channel middleware makes a request
    do it: home and the first category once; 100 product pages; 100 searches of ten matches."""
    from django.conf import settings
    from django.urls import reverse, set_script_prefix, set_urlconf
    from oscar.apps.catalogue.models import Category, Product

    from marketplace.partner.selectors import sold_in_channel

    # The first category the home page links to.
    category = Category.objects.get_root_nodes().filter(is_public=True).first()
    products = (Product.objects.browsable().filter(sold_in_channel(channel))
                .filter(upc__startswith="BENCH-").order_by("pk")[:PRODUCT_PAGES])
    generated = Product.objects.filter(upc__startswith="BENCH-", parent=None).count()
    words = [SEARCH_WORD.format(k) for k in range(min(SEARCHES, generated // 10))]
    set_urlconf(settings.STOREFRONT_URLCONF)
    set_script_prefix(f"/{channel.code}/")
    try:
        search = reverse("search:search")
        return {
            "home": [reverse("home")],
            "category": [category.get_absolute_url()],
            "product": [product.get_absolute_url() for product in products],
            "search": [f"{search}?q={word}" for word in words],
        }
    finally:
        set_urlconf(None)
        set_script_prefix("/")


def search_matches(channel, paths) -> set[int]:
    """How many products each benchmarked search finds (the same number for every word)."""
    from urllib.parse import parse_qs

    from marketplace.partner import selectors

    return {
        selectors.products_for_channel(
            channel, query=parse_qs(urlsplit(path).query)["q"][0],
            language=channel.default_language,
        ).count()
        for path in paths
    }


def count_queries(url, client=None, cached=False) -> int | str:
    """Queries of one visit (anonymous, no cookies, unless ``client`` is signed in), after one
    warm-up request: a render with the page cache off (what the goals bound), or with
    ``cached`` the same visit served from the page cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    def visitor():
        return client or Client(raise_request_exception=False)

    with override_settings(PAGECACHE_ENABLED=cached):
        # A running site has its thumbnails made and caches filled: warm them first.
        visitor().get(url)
        with CaptureQueriesContext(connection) as captured:
            response = visitor().get(url)
    return len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"


def signed_in_shopper(channels):
    """A signed-in shopper with two items in the basket of each channel; its Cookie header."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from oscar.apps.catalogue.models import Product

    from marketplace.partner.selectors import sold_in_channel

    user, _ = get_user_model().objects.get_or_create(
        username="bench-shopper", defaults={"email": SHOPPER_EMAIL}
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for channel in channels:
        sellable = (Product.objects.filter(sold_in_channel(channel), upc__startswith="BENCH-")
                    .exclude(structure=Product.PARENT).order_by("pk")[:2])
        for product in sellable:
            response = client.post(f"/{channel.code}/basket/add/{product.pk}/", {"quantity": 1})
            if response.status_code != 302:
                sys.exit(f"Could not add {product} to the {channel.code} basket: "
                         f"HTTP {response.status_code}")
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return client, cookie


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

    word = f"M{i:04d}"  # SEARCH_WORD finds ten of these
    title = f"{TITLE_FAMILIES[i % len(TITLE_FAMILIES)]} {category.name} {word}"
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
        # Not partner shops (issue 12): their listings are sold from their own pages only, so
        # products given to them were not in the catalogue (292 of 1,000 sold, searches of
        # 0-7 matches instead of ten).
        sellers = list(Partner.objects.filter(channels=channel, is_local_shop=False).order_by("pk"))
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


def measure_queries(rows, client):
    for row in rows:
        if row.site == "here":
            shopper = client if row.visitor == "signed in" else None
            row.queries.append(count_queries(row.paths[0], shopper))
            row.cached_queries = count_queries(row.paths[0], shopper, cached=True)


def warm(port, rows, connections):
    """GET every path of every row once, ``connections`` at a time, before the clock starts.

    wrk's one-second warm-up per row used to reach a handful of a hundred product or search
    paths when the machine was loaded, so the measured seconds were mostly first renders (a
    page rendered at ~1 s each never warmed within wrk's 10 s): the figure was of an empty
    cache, not of the site. Both sites get the same pass.
    """
    from concurrent.futures import ThreadPoolExecutor

    def get(job):
        path, cookie = job
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            return conn.getresponse().status
        finally:
            conn.close()

    jobs = [(path, row.cookie) for row in rows for path in row.paths]
    with ThreadPoolExecutor(connections) as pool:
        statuses = Counter(pool.map(get, jobs))
    say(f"  warmed {len(jobs)} paths: " + ", ".join(f"{n} × {status}" for status, n in sorted(statuses.items())))


def page_entries(redis_url) -> int:
    """Pages kept in the project's page cache (one per render that could be kept)."""
    client = redis.Redis.from_url(redis_url)
    return sum(1 for key in client.scan_iter(match=f"{CACHE_PREFIX}:*pagecache:page:*", count=1000)
               if not key.endswith(b":shared"))


def measure_load(rows, args, env, log_path, **server):
    """wrk over each row's paths against one gunicorn, after every path was served once.

    For this project each row also says how many pages were rendered (not served from the
    page cache) while it was measured: 0 means every request was a cache hit.
    """
    with gunicorn(args.workers, env, log_path, **server) as port:
        base = f"http://{HOST}:{port}"
        warm(port, rows, args.connections)
        for row in rows:
            wrk.run(base, row.paths, seconds=1, connections=args.connections, cookie=row.cookie)
        for row in rows:
            say(f"  {row.site} {row.channel} {row.page} ({row.visitor}, {len(row.paths)} paths)")
            before = page_entries(args.redis_url) if row.site == "here" else 0
            row.load = wrk.run(base, row.paths, seconds=args.seconds,
                               connections=args.connections, cookie=row.cookie)
            if row.site == "here":
                row.renders = page_entries(args.redis_url) - before
    if any(row.load.errors for row in rows):
        say(f"Errors during the load test; server log: {log_path}")


def print_report(rows, sizes, args, oscar_rows, matches):
    from django.db import connection

    connection.ensure_connection()
    server = connection.pg_version
    oscar = {row.page: row for row in oscar_rows}
    print(
        f"Storefront benchmark: {sizes[-1]} products, PostgreSQL {server // 10000}, "
        f"{os.cpu_count()} CPU cores, gunicorn {args.workers} sync workers, "
        f"wrk -t1 -c{args.connections} -d{args.seconds}s per page, HTML only (no static files "
        f"or images). Pages: the channel's home, its first category, product pages over "
        f"{PRODUCT_PAGES} products, searches over {SEARCHES} words of {'/'.join(map(str, sorted(matches)))} "
        f"matches each. Every path is served once before the clock starts (both sites)."
        + (" Plain Oscar: ../shared/anchors/vanilla_oscar/ (1,000 products), "
           "same server settings, same client, same kinds of path lists." if oscar else "")
        + "\n"
    )
    query_heads = [f"queries @ {size}" for size in sizes] + ["queries, cached"]
    heads = ["channel", "visitor", "page", *query_heads, "req/s", "p50 ms", "p99 ms", "errors",
             "renders while measured"]
    if oscar:
        heads += ["plain Oscar queries", "plain Oscar req/s", "ratio"]
    print("| " + " | ".join(heads) + " |")
    print("|---|---|---|" + "---:|" * (len(heads) - 3))
    for row in rows:
        load = row.load
        cells = [row.channel.upper(), row.visitor, row.page, *map(str, row.queries),
                 str(row.cached_queries),
                 f"{load.requests_per_second:.1f}", f"{load.latency_p50_ms:.0f}",
                 f"{load.latency_p99_ms:.0f}", str(load.errors), str(row.renders)]
        if oscar:
            anchor_row = oscar.get(row.page)
            if anchor_row is None:
                cells += ["–", "–", "–"]
            else:
                rps = anchor_row.load.requests_per_second
                cells += [str(anchor_row.queries[0] if anchor_row.queries else "?"), f"{rps:.1f}",
                          f"{load.requests_per_second / rps:.2f}" if rps else "–"]
        print("| " + " | ".join(cells) + " |")
    if oscar:
        errors = sum(row.load.errors for row in oscar_rows)
        print(f"\nPlain Oscar: {errors} errors.")

    verdicts = []
    for page, goal in QUERY_GOALS.items():
        counted = [q for row in rows if row.page == page for q in row.queries]
        worst = max(counted, key=lambda q: q if isinstance(q, int) else float("inf"))
        met = isinstance(worst, int) and worst <= goal
        verdicts.append(f"{page} at most {worst} (goal <= {goal}: {'met' if met else 'NOT met'})")
    print("\nQueries per page: " + "; ".join(verdicts) + ".")
    if len(sizes) > 1:
        changed = [f"{row.channel} {row.page}" for row in rows if len(set(row.queries)) > 1]
        print("Query count independent of catalogue size: "
              + (f"NO, it changes for {', '.join(changed)}." if changed else "yes."))


def oscar_rows(plain) -> list[Row]:
    counted = anchor.queries(plain)
    # Plain Oscar has no home page of its own ("/" redirects to the catalogue): no figure.
    pages = {"category": [plain.category], "product": plain.products, "search": plain.searches}
    return [Row("oscar", "", page, paths, queries=[counted.get(page, "?")])
            for page, paths in pages.items()]


def main():
    args = parse_args()
    env = bench_env(args)
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)

    plain = None
    if args.against_oscar:
        plain = anchor.build(args.anchor_database_url or anchor.DEFAULT_DATABASE_URL)

    say(f"Recreating {urlsplit(args.database_url).path.lstrip('/')} and seeding the demo…")
    recreate_database(args.database_url)
    clear_cache(args.redis_url)
    manage(env, "migrate", "--noinput")
    # Hashed static files, as a deploy serves them (the manifest storage needs them collected).
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    setup_django(env)

    channels = load_channels(args.channels)
    # Counted at a small and at the full size: the same kind of page, many more rows behind it.
    sizes = []
    rows = []
    for target in sorted({min(args.small_products, args.products), args.products}):
        say(f"Adding products up to {target}…")
        add_products(target, channels)
        size = catalogue_size(channels)
        if size in sizes:
            continue
        if not rows:
            client, cookie = signed_in_shopper(channels)
        rows = rows or [
            Row("here", channel.code, page, paths, visitor=visitor,
                cookie=cookie if visitor == "signed in" else "")
            for visitor in ("anonymous", "signed in")
            for channel in channels
            for page, paths in page_paths(channel).items()
        ]
        say(f"Counting queries at {size} products…")
        sizes.append(size)
        measure_queries(rows, client)
    # The path lists at the full size: products and search words of the whole catalogue.
    for row in rows:
        channel = next(c for c in channels if c.code == row.channel)
        row.paths = page_paths(channel)[row.page]
    matches = set().union(*(search_matches(c, page_paths(c)["search"]) for c in channels))

    say(f"Load test: gunicorn with {args.workers} workers, wrk -c{args.connections}…")
    measure_load(rows, args, env, WORK_DIR / "gunicorn.log")
    anchors = []
    if plain is not None:
        anchors = oscar_rows(plain)
        say("Load test: plain Oscar, the same server settings and client…")
        measure_load(anchors, args, plain.env, WORK_DIR / "gunicorn-oscar.log",
                     command=plain.gunicorn_command, cwd=plain.home)
    print_report(rows, sizes, args, anchors, matches)


if __name__ == "__main__":
    main()

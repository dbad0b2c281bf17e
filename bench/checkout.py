"""
Checkout benchmark: orders per second placed through the HTTP checkout.

Seeds the demo into a dedicated PostgreSQL database (dropped and recreated on
every run), adds one hot product with a deep stock and ``--products`` products
with ordinary stocks, serves the site with gunicorn and lets ``--concurrency``
guest shoppers on 127.0.0.1 buy through the one-page checkout, each with its own
cookies: product page, add to basket, the checkout page (GET), the POST that places
the order (home delivery, Pay on Delivery), thank-you page: 5 requests. With
``--steps`` the same shoppers also walk the step-by-step checkout (product page, add
to basket, guest e-mail, address, home delivery, Pay on Delivery, preview, place
order, thank-you page), and both are printed. One scenario buys only
the hot product (every order updates the same listing row), the other a random
one of the many. Afterwards the database is checked: one order per successful
checkout and none for a failed one, no shopper with two orders, and for every
listing allocated == units ordered <= stock. Prints a markdown table for the
README; progress goes to stderr.

With ``--against-oscar`` it also builds the plain django-oscar shop of
``../shared/anchors/vanilla_oscar/``, serves it with the same gunicorn settings and lets the
same shoppers (the same client, one keep-alive connection and cookie jar each, the same number
at a time) buy through its checkout pages (product page, add to basket, guest e-mail, address,
delivery, payment, payment details, preview, place order, thank-you page), and prints both
figures and their ratio.

    .venv/bin/python bench/checkout.py [--against-oscar] [--steps] [--workers 4]
        [--concurrency 8] [--orders 200] [--max-seconds 60] [--channel ng] [--products 200]
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import re
import shutil
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

import anchor
import redis
from serving import (
    HOST,
    ROOT,
    cache_prefix,
    celery_lists,
    database_url,
    gunicorn,
    manage,
    positive_int,
    recreate_database,
    redis_url,
    say,
)
from storefront import bench_env, clear_cache, setup_django

# Not storefront's var/bench, which that benchmark empties when it starts.
WORK_DIR = ROOT / "var" / "bench-checkout"
DEFAULT_DATABASE_URL = database_url("marketplace_bench_checkout")
# Not the storefront benchmark's Redis database: the Celery queue is emptied here.
DEFAULT_REDIS_URL = redis_url("redis://127.0.0.1:6379/2")
# Not the storefront benchmark's namespace either: both may share BENCH_REDIS_URL.
CACHE_PREFIX = cache_prefix("marketplace-bench-checkout")
# Celery's default queue: a Redis list named after it in the broker's database.
CELERY_QUEUE = "celery"
CONFIRMATION_TASK = "marketplace.order.tasks.send_order_confirmation"
UPC_PREFIX = "BENCH-CO-"
EMAIL_DOMAIN = "@bench.example"
# A shipping address in each launch country.
ADDRESSES = {
    "NG": ("12 Allen Avenue", "Lagos", "+2348031234567"),
    "EG": ("14 Abbas El Akkad St", "Cairo", "+201001234567"),
    "KE": ("Sarit Centre, Westlands", "Nairobi", "+254712345678"),
    "CI": ("Boulevard Latrille", "Abidjan", "+2250701020304"),
    "MA": ("45 Rue Ibnou Mounir", "Casablanca", "+212612345678"),
    "GH": ("Oxford Street, Osu", "Accra", "+233241234567"),
}
INPUT = r'name="{}" value="([^"]*)"'
ANCHOR_DATABASE_URL = database_url("vanilla_oscar_bench_checkout")
# Plain Oscar ships to Great Britain only (the recipe's countries.py); its address form wants a
# valid postcode there.
ANCHOR_ADDRESS = {"first_name": "Ada", "last_name": "Obi", "line1": "10 Downing Street",
                  "line4": "London", "postcode": "SW1A 2AA", "country": "GB"}
SNIPPET = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=positive_int, default=2 * cores,
                        help="gunicorn sync workers (default: two per CPU core)")
    parser.add_argument("--concurrency", type=positive_int, default=8,
                        help="shoppers checking out at the same time (default: 8)")
    parser.add_argument("--orders", type=positive_int, default=200,
                        help="orders to place per scenario (default: 200)")
    parser.add_argument("--max-seconds", type=float, default=60,
                        help="time cap per scenario; no checkout starts after it (default: 60)")
    parser.add_argument("--channel", default="ng", help="channel code (default: ng)")
    parser.add_argument("--products", type=positive_int, default=200,
                        help="products of the many-products scenario (default: 200)")
    parser.add_argument("--hot-stock", type=positive_int, default=100_000,
                        help="units in stock of the hot product (default: 100000)")
    parser.add_argument("--against-oscar", action="store_true",
                        help="build plain django-oscar beside it and print both figures")
    parser.add_argument("--steps", action="store_true",
                        help="also walk the step-by-step checkout (9 or 10 requests) and print both")
    parser.add_argument("--anchor-database-url", default=ANCHOR_DATABASE_URL,
                        help="plain Oscar's database, dropped and recreated")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help="PostgreSQL database to DROP and recreate (name must contain 'bench')")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL,
                        help="Redis for the cache and the Celery queue (default: database 2)")
    args = parser.parse_args()
    args.channel = args.channel.strip().lower()
    return args


# --- Data -------------------------------------------------------------------------------------
# Django models can only be imported after setup_django(), hence the imports in functions.


@dataclass
class Shop:
    """What the shoppers need to know, found in the database before the server starts."""

    code: str  # "ng"
    country: str  # "NG"
    pod_option: int  # the Pay on Delivery option's id
    home_delivery: str  # its method code, "home-<id>"
    many_methods: bool  # several delivery options: the shopper posts a choice
    hot: int = 0  # listing ids
    many: list[int] = field(default_factory=list)
    warm_up: int = 0
    products: dict[int, int] = field(default_factory=dict)  # listing id -> product id
    pages: dict[int, str] = field(default_factory=dict)  # listing id -> product page path


def load_shop(code) -> Shop:
    from marketplace.channels.models import Channel
    from marketplace.delivery.models import DeliveryOption
    from marketplace.payments.models import Method, PaymentOption

    channel = Channel.objects.active().filter(country=code.upper()).first()
    if channel is None:
        sys.exit(f"Unknown or inactive channel: {code}")
    country = str(channel.country.code)
    if country not in ADDRESSES:
        sys.exit(f"No sample address for {country}; add one to ADDRESSES.")
    pod = PaymentOption.objects.filter(
        channel=channel, method=Method.PAY_ON_DELIVERY, is_active=True
    ).first()
    home = DeliveryOption.objects.filter(channel=channel, kind=DeliveryOption.HOME).first()
    if pod is None or home is None:
        sys.exit(f"seed_demo made no Pay on Delivery or home delivery option in {country}.")
    # With one delivery option the page chooses it; with several the shopper posts a choice.
    methods = DeliveryOption.objects.filter(channel=channel).count()
    return Shop(code=channel.code, country=country, pod_option=pod.pk,
                home_delivery=f"{home.kind}-{home.pk}", many_methods=methods > 1)


def add_products(shop, products, hot_stock):
    """A hot product, a warm-up product and ``products`` more, sold by one seller in the channel.

    Prices stay under the channel's Pay on Delivery cap so it is always offered.
    """
    from django.db import transaction
    from oscar.apps.catalogue.models import Product, ProductClass

    from marketplace.channels.models import Channel
    from marketplace.channels.money import quantize
    from marketplace.partner.models import Partner, StockRecord
    from marketplace.payments.models import PaymentOption

    channel = Channel.objects.get(country=shop.country)
    cap = PaymentOption.objects.get(pk=shop.pod_option).max_order_total or Decimal(200_000)

    def price(share):  # excl. tax, as listings store it; share of the cap incl. tax
        return quantize(cap * Decimal(share) / (1 + channel.tax_rate()), channel.currency)

    specs = [("hot", "Bench Hot Phone", price("0.30"), hot_stock),
             ("warm-up", "Bench Warm-up Phone", price("0.10"), hot_stock)]
    specs += [(f"{i:04d}", f"Bench Phone {i:04d}", price(f"{0.05 + (i * 37) % 40 / 100:.2f}"), 1000)
              for i in range(products)]
    with transaction.atomic():
        product_class, _ = ProductClass.objects.get_or_create(
            name="Bench phone", defaults={"requires_shipping": True, "track_stock": True}
        )
        seller, _ = Partner.objects.get_or_create(name="Bench Seller", slug="bench-seller")
        seller.channels.add(channel)
        created = Product.objects.bulk_create(
            Product(upc=f"{UPC_PREFIX}{key}", title=title, slug=f"bench-co-{key}",
                    structure=Product.STANDALONE, product_class=product_class, is_public=True)
            for key, title, _price, _stock in specs
        )
        listings = StockRecord.objects.bulk_create(
            StockRecord(product=product, partner=seller, channel=channel,
                        partner_sku=product.upc, price=unit_price,
                        price_currency=channel.currency, num_in_stock=stock, num_allocated=0,
                        is_live=True)
            for product, (_key, _title, unit_price, stock) in zip(created, specs, strict=True)
        )
    shop.hot, shop.warm_up = listings[0].pk, listings[1].pk
    shop.many = [listing.pk for listing in listings[2:]]
    shop.products = {listing.pk: listing.product_id for listing in listings}
    shop.pages = product_pages(shop, created, listings)


def product_pages(shop, products, listings):
    """Product page paths, reversed the way the channel middleware makes a request do it."""
    from django.conf import settings
    from django.urls import set_script_prefix, set_urlconf

    set_urlconf(settings.STOREFRONT_URLCONF)
    set_script_prefix(f"/{shop.code}/")
    try:
        return {listing.pk: product.get_absolute_url()
                for product, listing in zip(products, listings, strict=True)}
    finally:
        set_urlconf(None)
        set_script_prefix("/")


# --- Shoppers ---------------------------------------------------------------------------------


class StepFailed(Exception):
    """A checkout page answered something other than what a working checkout answers."""

    def __init__(self, step, method, path, status, body):
        self.step, self.method, self.path, self.status = step, method, path, status
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body or "")).strip()
        self.snippet = text[:SNIPPET]
        super().__init__(f"{step}: {method} {path} -> {status}: {self.snippet}")

    @property
    def kind(self):
        return f"{self.step}: {self.method} {self.path} -> {self.status}"


class Shopper:
    """One browser: its own cookies (session, CSRF token) over a keep-alive connection."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = {}

    def close(self):
        self.conn.close()

    def forget(self):
        """Another guest on the same connection."""
        self.cookies = {}

    def request(self, step, method, path, fields=None, status=200, location=None):
        """Send a request; fail the checkout unless the answer is ``status`` (to ``location``)."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            # Django accepts the cookie's own value as the form's token.
            body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            raise StepFailed(step, method, path, type(exc).__name__, str(exc)) from exc
        self.remember(response.headers.get_all("Set-Cookie") or [])
        where = urlsplit(response.getheader("Location", "")).path
        if response.status != status or (location is not None and where != location):
            shown = f"{response.status} to {where}" if where else response.status
            raise StepFailed(step, method, path, shown, content)
        return content, where

    def remember(self, headers):
        for header in headers:
            try:
                cookie = SimpleCookie(header)
            except CookieError:
                continue
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel["expires"].endswith("1970 00:00:00 GMT"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class CountingShopper:
    """A shopper served in this process by Django's test client, counting SQL queries per step."""

    def __init__(self):
        from django.test import Client

        self.client = Client(raise_request_exception=False)
        self.queries = Counter()

    def request(self, step, method, path, fields=None, status=200, location=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        send = self.client.get if method == "GET" else self.client.post
        with CaptureQueriesContext(connection) as captured:
            response = send(path, fields or {})
        self.queries[step] += len(captured)
        content = response.content.decode("utf-8", "replace")
        where = urlsplit(response.get("Location", "")).path
        if response.status_code != status or (location is not None and where != location):
            raise StepFailed(step, method, path, response.status_code, content)
        return content, where


def count_queries(shop, walk) -> Counter:
    """SQL queries per step of one guest checkout (the second: caches are warm by then)."""
    for n in range(2):
        shopper = CountingShopper()
        walk(shopper, shop, shop.warm_up, f"queries-{walk.__name__}-{n}{EMAIL_DOMAIN}")
    return shopper.queries


@dataclass
class Checkout:
    order_number: str
    email: str
    listing: int
    seconds: float  # all steps
    place_seconds: float  # the place-order POST
    steps: dict[str, float]


class StepTimer:
    """Sends a shopper's requests and adds up the seconds each checkout step takes."""

    def __init__(self, shopper):
        self.shopper = shopper
        self.steps: dict[str, float] = {}

    def __call__(self, step, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.shopper.request(step, *args, **kwargs)
        finally:
            self.steps[step] = self.steps.get(step, 0) + time.perf_counter() - started


def find(pattern, content, step, path):
    match = re.search(pattern, content)
    if match is None:
        raise StepFailed(step, "GET", path, f"200 without {pattern!r}", content)
    return match.group(1)


def check_out(shopper, shop, listing, email) -> Checkout:
    """One guest buys one unit of ``listing`` on the one-page checkout: page, one POST."""
    base = f"/{shop.code}"
    timed = StepTimer(shopper)
    steps = timed.steps
    line1, city, phone = ADDRESSES[shop.country]

    started = time.perf_counter()
    # The product page: what a shopper sees first, and where the CSRF cookie comes from.
    timed("product page", "GET", shop.pages[listing])
    timed("add to basket", "POST", f"{base}/basket/add/{shop.products[listing]}/",
          {"quantity": 1}, status=302)
    path = f"{base}/checkout/now/"
    content, _ = timed("one page", "GET", path)
    codes = re.findall(INPUT.format("method_code"), content)
    if shop.home_delivery not in codes:
        raise StepFailed("one page", "GET", path, f"200 without {shop.home_delivery}", content)
    if str(shop.pod_option) not in re.findall(INPUT.format("option"), content):
        raise StepFailed("one page", "GET", path, "200 without Pay on Delivery", content)
    total = f"expected_total-{shop.home_delivery}"
    fields = {"email": email, "first_name": "Ada", "last_name": "Obi", "line1": line1,
              "line4": city, "country": shop.country, "phone_number": phone,
              "method_code": shop.home_delivery, "option": shop.pod_option,
              "checkout_key": find(INPUT.format("checkout_key"), content, "one page", path),
              total: find(INPUT.format(total), content, "one page", path)}
    timed("place order", "POST", path, fields, status=302, location=f"{base}/checkout/thank-you/")
    path = f"{base}/checkout/thank-you/"
    content, _ = timed("thank-you page", "GET", path)
    number = find(rf"\b({shop.country}-[2-9A-HJKMNP-TV-Z]{{8}})\b", content, "thank-you page", path)
    return Checkout(number, email, listing, time.perf_counter() - started,
                    steps["place order"], steps)


def check_out_steps(shopper, shop, listing, email) -> Checkout:
    """One guest buys one unit of ``listing`` through every page of the step checkout."""
    base = f"/{shop.code}"
    timed = StepTimer(shopper)
    steps = timed.steps
    line1, city, phone = ADDRESSES[shop.country]

    started = time.perf_counter()
    # The product page: what a shopper sees first, and where the CSRF cookie comes from.
    timed("product page", "GET", shop.pages[listing])
    timed("add to basket", "POST", f"{base}/basket/add/{shop.products[listing]}/",
          {"quantity": 1}, status=302)
    timed("guest e-mail", "POST", f"{base}/checkout/", {"username": email, "options": "anonymous"},
          status=302, location=f"{base}/checkout/shipping-address/")
    timed("address", "POST", f"{base}/checkout/shipping-address/",
          {"first_name": "Ada", "last_name": "Obi", "line1": line1, "line4": city,
           "country": shop.country, "phone_number": phone},
          status=302, location=f"{base}/checkout/shipping-method/")
    path = f"{base}/checkout/shipping-method/"
    content, where = timed("delivery", "GET", path, status=200 if shop.many_methods else 302)
    if shop.many_methods:
        codes = re.findall(INPUT.format("method_code"), content)
        if shop.home_delivery not in codes:
            raise StepFailed("delivery", "GET", path, f"200 without {shop.home_delivery}", content)
        timed("delivery", "POST", path, {"method_code": shop.home_delivery},
              status=302, location=f"{base}/checkout/payment-method/")
    path = f"{base}/checkout/payment-method/"
    content, _ = timed("payment", "GET", path)
    if str(shop.pod_option) not in re.findall(INPUT.format("option"), content):
        raise StepFailed("payment", "GET", path, "200 without Pay on Delivery", content)
    timed("payment", "POST", path, {"option": shop.pod_option},
          status=302, location=f"{base}/checkout/preview/")
    path = f"{base}/checkout/preview/"
    content, _ = timed("preview", "GET", path)
    fields = {"action": "place_order",
              "checkout_key": find(INPUT.format("checkout_key"), content, "preview", path),
              "expected_total": find(INPUT.format("expected_total"), content, "preview", path)}
    timed("place order", "POST", path, fields, status=302, location=f"{base}/checkout/thank-you/")
    path = f"{base}/checkout/thank-you/"
    content, _ = timed("thank-you page", "GET", path)
    number = find(rf"\b({shop.country}-[2-9A-HJKMNP-TV-Z]{{8}})\b", content, "thank-you page", path)
    return Checkout(number, email, listing, time.perf_counter() - started,
                    steps["place order"], steps)


# --- Plain Oscar, beside it -------------------------------------------------------------------


@dataclass
class OscarShop:
    """Plain Oscar's products to buy: ``listing`` ids here are its product ids."""

    hot: int
    warm_up: int
    many: list[int]
    pages: dict[int, str]


def prepare_oscar(plain, products, hot_stock) -> OscarShop:
    """Deep stock on a hot and a warm-up product (as the recipe's README says) and on
    ``products`` more; their ids and page paths."""
    out = plain.manage(
        "from oscar.core.loading import get_model\n"
        "Product = get_model('catalogue', 'Product')\n"
        "StockRecord = get_model('partner', 'StockRecord')\n"
        f"chosen = list(Product.objects.order_by('pk')[:{products + 2}])\n"
        f"StockRecord.objects.filter(product__in=chosen).update(num_in_stock={hot_stock}, "
        "num_allocated=0)\n"
        "for p in chosen: print('PRODUCT', p.pk, p.get_absolute_url())"
    )
    found = [line.split()[1:] for line in out.splitlines() if line.startswith("PRODUCT ")]
    ids = [int(pk) for pk, _path in found]
    return OscarShop(hot=ids[0], warm_up=ids[1], many=ids[2:],
                     pages={int(pk): path for pk, path in found})


def check_out_oscar(shopper, shop: OscarShop, product, email) -> Checkout:
    """One guest buys one unit of ``product`` through plain Oscar's checkout pages."""
    timed = StepTimer(shopper)
    steps = timed.steps

    started = time.perf_counter()
    timed("product page", "GET", shop.pages[product])
    timed("add to basket", "POST", f"/basket/add/{product}/", {"quantity": 1}, status=302)
    timed("guest e-mail", "POST", "/checkout/", {"username": email, "options": "anonymous"},
          status=302, location="/checkout/shipping-address/")
    timed("address", "POST", "/checkout/shipping-address/", ANCHOR_ADDRESS,
          status=302, location="/checkout/shipping-method/")
    # One shipping method (free): Oscar chooses it and moves on, as ours does with one option.
    timed("delivery", "GET", "/checkout/shipping-method/", status=302,
          location="/checkout/payment-method/")
    timed("payment", "GET", "/checkout/payment-method/", status=302,
          location="/checkout/payment-details/")
    timed("payment", "GET", "/checkout/payment-details/")
    timed("preview", "GET", "/checkout/preview/")
    timed("place order", "POST", "/checkout/preview/", {"action": "place_order"},
          status=302, location="/checkout/thank-you/")
    content, _ = timed("thank-you page", "GET", "/checkout/thank-you/")
    number = find(r"Order (\d+)", content, "thank-you page", "/checkout/thank-you/")
    return Checkout(number, email, product, time.perf_counter() - started,
                    steps["place order"], steps)


def check_oscar_database(run, plain):
    """One order per successful checkout, in plain Oscar's database too."""
    emails = sorted({c.email for c in run.checkouts})
    out = plain.manage(
        "from oscar.core.loading import get_model\n"
        "Order = get_model('order', 'Order')\n"
        f"print('ORDERS', Order.objects.filter(guest_email__endswith={EMAIL_DOMAIN!r}, "
        f"guest_email__startswith={run.prefix!r}).count())"
    )
    found = int(next(line.split()[1] for line in out.splitlines() if line.startswith("ORDERS")))
    if found != len(emails):
        run.problems.append(f"{found} orders in the database for {len(emails)} checkouts")
    run.facts.append(f"orders in the database: {found}")


@dataclass
class Run:
    name: str
    listings: list[int]
    seconds: float = 0.0
    checkouts: list[Checkout] = field(default_factory=list)
    failures: list[StepFailed] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0
    problems: list[str] = field(default_factory=list)  # what the database check found
    facts: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        """The start of its shoppers' e-mails ("steps-one-hot-product-"): whose orders are whose."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") + "-"

    @property
    def orders_per_second(self):
        return len(self.checkouts) / self.seconds if self.seconds else 0.0


def percentile_ms(values, pct) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, len(ordered) * pct // 100)]:.0f}"


def serve_pages_once(port, paths):
    """Every product page a scenario may open, once, before its clock starts (both shops).

    As the storefront benchmark serves every path once: what is measured is checking out,
    not a product page's first render after a deploy (here: its first visit ever)."""
    shopper = Shopper(port)
    try:
        for path in dict.fromkeys(paths):
            shopper.forget()
            shopper.request("product page", "GET", path)
    finally:
        shopper.close()


def shop_for(run: Run, port, shop, total, concurrency, max_seconds, buy=None):
    """``concurrency`` shoppers check out in a loop until ``total`` orders or the time cap.

    ``buy(shopper, shop, listing, email)`` walks one checkout: this project's by default,
    plain Oscar's (``check_out_oscar``) with the same shoppers."""
    buy = buy or check_out
    tickets = itertools.count()  # next() is atomic under the GIL: a shared order budget
    deadline = time.monotonic() + max_seconds
    lock = threading.Lock()

    def shopper_loop(number):
        rng = random.Random(number)
        shopper = Shopper(port)
        try:
            while (ticket := next(tickets)) < total and time.monotonic() < deadline:
                shopper.forget()  # every order is a new guest
                email = f"{run.prefix}{ticket}{EMAIL_DOMAIN}"
                try:
                    checkout = buy(shopper, shop, rng.choice(run.listings), email)
                except StepFailed as failed:
                    with lock:
                        run.failures.append(failed)
                else:
                    with lock:
                        run.checkouts.append(checkout)
        finally:
            shopper.close()

    threads = [threading.Thread(target=shopper_loop, args=(n,)) for n in range(concurrency)]
    run.load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    run.load_after = os.getloadavg()[0]
    return run


# --- Checks -----------------------------------------------------------------------------------


def check_database(run: Run, shop):
    """Orders, allocations and confirmations in the database against what the shoppers saw."""
    from django.db.models import Count, Sum
    from oscar.core.loading import get_model

    from marketplace.order.models import Order
    from marketplace.partner.models import StockRecord

    # The project forks the order app: Oscar's module defines no Line then.
    Line = get_model("order", "Line")  # noqa: N806
    # This run's shoppers' orders (both walks buy the same listings with --steps).
    orders = Order.objects.filter(lines__stockrecord_id__in=run.listings,
                                  guest_email__startswith=run.prefix).distinct()
    in_db = set(orders.values_list("number", flat=True))
    seen = [checkout.order_number for checkout in run.checkouts]
    repeated = [number for number, n in Counter(seen).items() if n > 1]
    if repeated:
        run.problems.append(f"{len(repeated)} order numbers shown to two shoppers: {repeated[:5]}")
    if missing := set(seen) - in_db:
        run.problems.append(f"{len(missing)} thank-you orders not in the database: "
                            f"{sorted(missing)[:5]}")
    if extra := in_db - set(seen):
        run.problems.append(f"{len(extra)} orders in the database with no successful checkout "
                            f"(placed, then the shopper saw an error?): {sorted(extra)[:5]}")
    twice = orders.values("guest_email").annotate(n=Count("pk")).filter(n__gt=1)
    if twice:
        run.problems.append(f"{len(twice)} shoppers with more than one order (one checkout each)")
    run.facts.append(f"orders in the database: {len(in_db)}")

    ordered = dict(
        Line.objects.filter(stockrecord_id__in=run.listings)
        .values_list("stockrecord_id").annotate(units=Sum("quantity"))
    )
    wrong = []
    for listing in StockRecord.objects.filter(pk__in=run.listings).order_by("pk"):
        units = ordered.get(listing.pk, 0)
        if listing.num_allocated != units or listing.num_allocated > listing.num_in_stock:
            wrong.append(f"listing {listing.pk}: allocated {listing.num_allocated}, "
                         f"ordered {units}, stock {listing.num_in_stock}")
        if listing.pk == shop.hot:
            run.facts.append(f"hot listing: allocated {listing.num_allocated} = "
                             f"{units} units ordered, stock {listing.num_in_stock}")
    if wrong:
        run.problems.append(f"{len(wrong)} listings allocated ≠ ordered or > stock: {wrong[:3]}")
    elif len(run.listings) > 1:
        run.facts.append(f"{len(run.listings)} listings: allocated = units ordered ≤ stock")


def clear_queue(redis_url) -> None:
    """The Celery queue emptied: its list of each priority step (kombu on Redis)."""
    client = redis.Redis.from_url(redis_url)
    names = celery_lists(client, CELERY_QUEUE)
    if names:
        client.delete(*names)


def queued_confirmations(redis_url) -> Counter:
    """Confirmation tasks waiting in the Celery queue, by order id (no worker runs here)."""
    client = redis.Redis.from_url(redis_url)
    queued = Counter()
    messages = [m for name in celery_lists(client, CELERY_QUEUE) for m in client.lrange(name, 0, -1)]
    for message in messages:
        headers = json.loads(message).get("headers", {})
        if headers.get("task") == CONFIRMATION_TASK:
            queued[headers.get("argsrepr", "")] += 1
    return queued


def check_confirmations(redis_url) -> str:
    """Exactly one confirmation e-mail queued per order placed by the shoppers."""
    from marketplace.order.models import Order

    queued = queued_confirmations(redis_url)
    ids = Order.objects.filter(guest_email__endswith=EMAIL_DOMAIN).values_list("pk", flat=True)
    per_order = defaultdict(int)
    for argsrepr, n in queued.items():
        match = re.match(r"\((\d+),", argsrepr)
        if match:
            per_order[int(match.group(1))] += n
    wrong = [pk for pk in ids if per_order.get(pk) != 1]
    return (f"Confirmation e-mails queued: {sum(queued.values())} for {len(ids)} orders "
            "(warm-up included): "
            + (f"PROBLEM, {len(wrong)} orders without exactly one." if wrong else "one each."))


# --- Report -----------------------------------------------------------------------------------


def postgres_version():
    from django.db import connection

    connection.ensure_connection()
    return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"


@dataclass
class Walk:
    """One way through this shop's checkout, as the shoppers walk it."""

    name: str  # "one page"; prefixes its runs' names but the first walk's
    buy: object  # check_out or check_out_steps
    prefix: str = ""

    def describe(self, shop) -> str:
        if self.buy is check_out:
            return ("the one-page checkout (product page, add to basket, checkout page, the POST "
                    "placing the order with home delivery and Pay on Delivery, thank-you page: "
                    "5 requests)")
        return ("every page of the step checkout (product page, add to basket, guest e-mail, "
                "address, home delivery, Pay on Delivery, preview, place order, thank-you page: "
                f"{11 if shop.many_methods else 10} requests)")


def walks_for(args) -> list[Walk]:
    walks = [Walk("one page", check_out)]
    if args.steps:
        walks.append(Walk("steps", check_out_steps, prefix="steps: "))
    return walks


def print_report(walk_runs, args, shop, confirmations, queries):
    """``walk_runs``: (walk, its scenario runs); ``queries``: per walk name, per step."""
    print(
        f"Checkout benchmark, channel {shop.country}: guest shoppers on 127.0.0.1 buy one unit "
        f"each through " + "; and through ".join(walk.describe(shop) for walk, _runs in walk_runs)
        + f", each with its own cookies. Up to {args.orders} orders per scenario "
        f"(cap {args.max_seconds:g} s), {args.concurrency} shoppers at a time; every product page a "
        "scenario may open is served once before its clock starts, in both shops.\n"
        f"Server: gunicorn {args.workers} sync workers, PostgreSQL {postgres_version()} "
        f"(CONN_MAX_AGE 60), Redis cache; confirmation e-mails are queued to Redis on commit "
        f"(no Celery worker running). Machine: {os.cpu_count()} CPU cores "
        f"({platform.machine()}, {platform.system()} {platform.release()}), Python "
        f"{platform.python_version()}; the shoppers run on the same machine.\n"
    )
    runs = [run for _walk, walk_runs_ in walk_runs for run in walk_runs_]
    heads = ["scenario", "orders", "seconds", "orders/s", "checkout p50 ms", "checkout p95 ms",
             "place order p50 ms", "place order p95 ms", "errors", "load 1 min before/after"]
    print("| " + " | ".join(heads) + " |")
    print("|---|" + "---:|" * (len(heads) - 1))
    for run in runs:
        totals = [c.seconds for c in run.checkouts]
        places = [c.place_seconds for c in run.checkouts]
        cells = [run.name, str(len(run.checkouts)), f"{run.seconds:.1f}",
                 f"{run.orders_per_second:.1f}", percentile_ms(totals, 50),
                 percentile_ms(totals, 95), percentile_ms(places, 50), percentile_ms(places, 95),
                 str(len(run.failures)), f"{run.load_before:.1f} / {run.load_after:.1f}"]
        print("| " + " | ".join(cells) + " |")

    for walk, its_runs in walk_runs:
        counted = queries.get(walk.name, Counter())
        steps = list(dict.fromkeys(s for run in its_runs for c in run.checkouts for s in c.steps))
        if not steps:
            continue
        print(f"\nPer step, {walk.name} (GET and POST of a page together): SQL queries of one "
              "checkout, counted in-process, and median milliseconds under load:\n")
        print("| step | queries | " + " | ".join(f"{run.name} p50 ms" for run in its_runs) + " |")
        print("|---|---:|" + "---:|" * len(its_runs))
        for step in steps:
            cells = [percentile_ms([c.steps[step] for c in run.checkouts if step in c.steps], 50)
                     for run in its_runs]
            print(f"| {step} | {counted.get(step, '–')} | " + " | ".join(cells) + " |")
        print(f"| all | {sum(counted.values())} | "
              + " | ".join(percentile_ms([c.seconds for c in run.checkouts], 50) for run in its_runs)
              + " |")

    print()
    for run in runs:
        verdict = "problems" if run.problems else "ok"
        print(f"Database check, {run.name}: {verdict}. " + "; ".join(run.problems + run.facts) + ".")
        for kind, n in Counter(f.kind for f in run.failures).most_common():
            sample = next(f for f in run.failures if f.kind == kind)
            print(f"  {n} × {kind}: {sample.snippet!r}")
    print(confirmations)


def main():
    args = parse_args()
    env = bench_env(args, CACHE_PREFIX)
    env.update(MEDIA_ROOT=str(WORK_DIR / "media"), CELERY_TASK_ALWAYS_EAGER="0")
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)

    plain = anchor.build(args.anchor_database_url) if args.against_oscar else None

    say(f"Recreating {urlsplit(args.database_url).path.lstrip('/')} and seeding the demo…")
    recreate_database(args.database_url)
    clear_cache(args.redis_url, CACHE_PREFIX)
    clear_queue(args.redis_url)
    manage(env, "migrate", "--noinput")
    # Hashed static files, as a deploy serves them (the manifest storage needs them collected).
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")
    setup_django(env)

    shop = load_shop(args.channel)
    say(f"Adding a hot product ({args.hot_stock} in stock) and {args.products} more…")
    add_products(shop, args.products, args.hot_stock)

    walks = walks_for(args)
    say("Counting SQL queries of one checkout…")
    queries = {}
    for walk in walks:
        try:
            queries[walk.name] = count_queries(shop, walk.buy)
        except StepFailed as failed:
            sys.exit(f"The checkout ({walk.name}) fails in-process: {failed}")

    # Per walk: its warm-up, then the scenarios (the second walk's shoppers are other guests).
    walk_runs = [(walk, [Run(f"{walk.prefix}warm-up", [shop.warm_up]),
                         Run(f"{walk.prefix}one hot product", [shop.hot]),
                         Run(f"{walk.prefix}{args.products} products", shop.many)])
                 for walk in walks]
    all_runs = [run for _walk, runs in walk_runs for run in runs]
    log_path = WORK_DIR / "gunicorn.log"
    say(f"gunicorn with {args.workers} workers; {args.concurrency} shoppers…")
    with gunicorn(args.workers, env, log_path) as port:
        for walk, runs in walk_runs:
            # Every worker serves each page a few times before the clock starts.
            shop_for(runs[0], port, shop, 3 * args.workers, args.workers, args.max_seconds,
                     buy=walk.buy)
            for run in runs[1:]:
                say(f"  {run.name}…")
                serve_pages_once(port, [shop.pages[listing] for listing in run.listings])
                shop_for(run, port, shop, args.orders, args.concurrency, args.max_seconds,
                         buy=walk.buy)
                say(f"    {len(run.checkouts)} orders in {run.seconds:.1f} s, "
                    f"{len(run.failures)} errors")
    if any(run.failures for run in all_runs):
        say(f"Errors during the run; server log: {log_path}")
    for _walk, runs in walk_runs:
        for run in runs[1:]:
            check_database(run, shop)
    confirmations = check_confirmations(args.redis_url)
    clear_queue(args.redis_url)
    oscar_runs = run_oscar(plain, args) if plain is not None else []
    print_report([(walk, runs[1:]) for walk, runs in walk_runs], args, shop, confirmations, queries)
    for _walk, runs in walk_runs:
        if runs[0].failures:
            print(f"\n{runs[0].name}: {len(runs[0].failures)} errors, e.g. {runs[0].failures[0]}")
    if oscar_runs:
        for walk, runs in walk_runs:
            print_comparison(walk, runs[1:], oscar_runs, args)


def run_oscar(plain, args) -> list[Run]:
    """The same shoppers against plain Oscar, with the same gunicorn settings."""
    oscar = prepare_oscar(plain, args.products, args.hot_stock)
    runs = [Run("warm-up", [oscar.warm_up]), Run("one hot product", [oscar.hot]),
            Run(f"{args.products} products", oscar.many)]
    say(f"Plain Oscar: gunicorn with {args.workers} workers; {args.concurrency} shoppers…")
    with gunicorn(args.workers, plain.env, WORK_DIR / "gunicorn-oscar.log",
                  command=plain.gunicorn_command, cwd=plain.home) as port:
        shop_for(runs[0], port, oscar, 3 * args.workers, args.workers, args.max_seconds,
                 buy=check_out_oscar)
        for run in runs[1:]:
            say(f"  {run.name}…")
            serve_pages_once(port, [oscar.pages[product] for product in run.listings])
            shop_for(run, port, oscar, args.orders, args.concurrency, args.max_seconds,
                     buy=check_out_oscar)
            say(f"    {len(run.checkouts)} orders in {run.seconds:.1f} s, "
                f"{len(run.failures)} errors")
    for run in runs[1:]:
        check_oscar_database(run, plain)
    return runs[1:]


def print_comparison(walk, runs, oscar_runs, args):
    print(f"\nBeside plain Oscar (../shared/anchors/vanilla_oscar/, Oscar 4.2.1 as shipped): the "
          f"same shoppers ({args.concurrency} at a time, the same client), gunicorn "
          f"{args.workers} sync workers for both; here the {walk.name} checkout, plain Oscar's "
          f"guest checkout through every page.\n")
    print("| scenario | here orders/s | plain Oscar orders/s | ratio | here errors "
          "| plain Oscar errors | plain Oscar database check |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for here, oscar in zip(runs, oscar_runs, strict=True):
        ratio = (f"{here.orders_per_second / oscar.orders_per_second:.2f}"
                 if oscar.orders_per_second else "–")
        check = "; ".join(oscar.problems or oscar.facts)
        print(f"| {here.name} | {here.orders_per_second:.1f} | {oscar.orders_per_second:.1f} "
              f"| {ratio} | {len(here.failures)} | {len(oscar.failures)} | {check} |")
        for kind, n in Counter(f.kind for f in oscar.failures).most_common(3):
            sample = next(f for f in oscar.failures if f.kind == kind)
            print(f"  plain Oscar {n} × {kind}: {sample.snippet!r}")


if __name__ == "__main__":
    main()

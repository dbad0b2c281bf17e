"""
Flash-sale benchmark: a crowd of asynchronous HTTP shoppers against gunicorn +
PostgreSQL + Redis, for one hot item in one channel and for a festival across
four channels.

Builds the demo into a dedicated PostgreSQL database (dropped and recreated on
every run), puts a bench sale on top (``--units`` units of one Redmi listing per
channel, limit one per shopper), serves the site with gunicorn and lets
``--shoppers`` guests (many times more than the units), ``--concurrency`` at a
time, each with its own cookies (aiohttp), open the sale page (their CSRF
cookie) and press "Buy now" at once. Every shopper granted a unit then checks
out on the claim's one-page checkout (the ``checkout_url`` of the claim's
answer: one GET, then one POST with e-mail, address, delivery and Pay on
Delivery, which e-mails the guest a one-time code and places nothing, then the
same POST with the code, which places the order). The served site writes its
e-mails to files (Django's file backend, ``var/bench-flash/mail``) and the bench
reads each guest's code there, as a shopper reads their inbox: no setting or
shortcut in the site lets a guest skip the code. Afterwards the database is checked: units
ordered never above the sale's units nor the listing's stock, allocated equals
units ordered, one order per granted shopper at most.

Prints claim answers per second (granted or refused), placed orders per second,
p50/p95 per step, 429s, 5xx and oversold units, with the machine's load.

    .venv/bin/python bench/flash_sale.py [--workers 4] [--shoppers 4000] [--units 200]
        [--concurrency 200] [--scenario hot|festival|both]
"""

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import aiohttp
import redis
from serving import HOST, ROOT, gunicorn, manage, positive_int, recreate_database, say

WORK_DIR = ROOT / "var" / "bench-flash"
MAIL_DIR = WORK_DIR / "mail"  # the site's e-mails (file backend): the guests' inboxes
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mp_flash_bench"
# This engineer's Redis database: only the bench's own keys are deleted (prefix and fs:{…}).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
CACHE_PREFIX = "flashbench"
FESTIVAL_CHANNELS = ("ng", "ke", "eg", "ci")
ADDRESSES = {
    "NG": ("12 Allen Avenue", "Lagos", "+2348031234567"),
    "EG": ("14 Abbas El Akkad St", "Cairo", "+201001234567"),
    "KE": ("Sarit Centre, Westlands", "Nairobi", "+254712345678"),
    "CI": ("Boulevard Latrille", "Abidjan", "+2250701020304"),
}
INPUT = r'name="{}" value="([^"]*)"'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--workers", type=positive_int, default=4)
    parser.add_argument("--shoppers", type=positive_int, default=4000)
    parser.add_argument("--units", type=positive_int, default=200, help="units per channel")
    parser.add_argument("--concurrency", type=positive_int, default=200)
    parser.add_argument("--scenario", choices=("hot", "festival", "both"), default="both")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FLASH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_FLASH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--skip-build", action="store_true", help="reuse the database of the last run")
    return parser.parse_args()


def bench_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DATABASE_URL=args.database_url, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=CACHE_PREFIX,
        CELERY_TASK_ALWAYS_EAGER="1", DEBUG="0", SERVE_MEDIA="1",
        MEDIA_ROOT=str(WORK_DIR / "media"), STATIC_ROOT=str(WORK_DIR / "static"),
        ALLOWED_HOSTS=f"{HOST},localhost,testserver", FLASHSALES_CLAIMS="redis",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(MAIL_DIR),
    )
    return env


class Inbox:
    """The guests' e-mails as the site's file backend wrote them: the latest code per address.

    Reads only files it has not read whole yet (a file may get another message appended:
    the backend names files by second and object id)."""

    SEPARATOR = b"\n" + b"-" * 79 + b"\n"
    CODE = re.compile(r":\s*([0-9]{6})$")  # "Your flash-sale order code: 123456", in any language

    def __init__(self, path):
        self.path, self.read_upto, self.codes = path, {}, {}

    def code_for(self, email: str) -> str | None:
        from email import message_from_bytes, policy

        for file in sorted(self.path.glob("*.log")):
            data = file.read_bytes()
            start = self.read_upto.get(file.name, 0)
            if len(data) <= start:
                continue
            self.read_upto[file.name] = len(data)
            for raw in data[start:].split(self.SEPARATOR):
                message = message_from_bytes(raw.strip(), policy=policy.default)  # headers decoded
                subject, to = str(message.get("Subject", "")).strip(), str(message.get("To", ""))
                found = self.CODE.search(subject)
                if to and found:
                    self.codes[to.strip().lower()] = found.group(1)
        return self.codes.get(email)


INBOX = Inbox(MAIL_DIR)



def clear_redis(redis_url):
    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{CACHE_PREFIX}:*", "fs:{*"):
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_sales(units):
    """A bench sale on a Mi listing of each festival channel, live now, limit one per shopper."""
    from django.utils import timezone

    from marketplace.channels.models import Channel
    from marketplace.channels.money import quantize
    from marketplace.delivery.models import DeliveryOption
    from marketplace.flashsales import holds
    from marketplace.flashsales.models import Sale, SaleItem
    from marketplace.partner.models import Partner, StockRecord
    from marketplace.payments.models import Method, PaymentOption

    mi = Partner.objects.get(slug="mi-official-store")
    for sale_id in Sale.objects.filter(seller=mi).values_list("pk", flat=True):
        holds.sale_release(sale_id=sale_id)  # the demo's own sales (and a last scenario's) out of the way
    Sale.objects.filter(seller=mi).update(status=Sale.STOPPED)
    now = timezone.now()
    shops = {}
    sale = Sale.objects.create(name="Bench flash sale", seller=mi, starts_at=now - timedelta(minutes=1),
                               ends_at=now + timedelta(hours=2), status=Sale.APPROVED, reservation_minutes=10)
    for code in FESTIVAL_CHANNELS:
        channel = Channel.objects.get(country=code.upper())
        sale.channels.add(channel)
        listing = StockRecord.objects.filter(partner=mi, channel=channel, product__upc="XM-A3").first()
        # Stock for the sale and a little more: the database must refuse anything beyond.
        StockRecord.objects.filter(pk=listing.pk).update(num_in_stock=units + 5, num_allocated=0)
        item = SaleItem.objects.create(sale=sale, listing=listing, units=units, per_shopper_limit=1,
                                       sale_price=quantize(listing.price * Decimal("0.7"), channel.currency))
        holds.item_hold(item=item)  # approved: its units leave regular stock, as approval does
        pod = PaymentOption.objects.filter(channel=channel, method=Method.PAY_ON_DELIVERY, is_active=True).first()
        # The bench orders can be large: no cap on Pay on Delivery here.
        PaymentOption.objects.filter(pk=pod.pk).update(max_order_total=None)
        home = DeliveryOption.objects.filter(channel=channel, kind=DeliveryOption.HOME).first()
        many = DeliveryOption.objects.filter(channel=channel).count() > 1
        shops[code] = {"item": item.pk, "listing": listing.pk, "pod": pod.pk, "home": f"{home.kind}-{home.pk}",
                       "many_methods": many, "country": code.upper(), "units": units}
    return shops


class Timings:
    def __init__(self):
        self.steps = defaultdict(list)
        self.statuses = Counter()

    def add(self, step, seconds, status):
        self.steps[step].append(seconds)
        self.statuses[status] += 1


async def request(session, timings, step, method, url, *, data=None, json=False, expect=None):
    headers = {"Accept": "application/json"} if json else {}
    if data is not None:
        token = next((c.value for c in session.cookie_jar if c.key == "csrftoken"), "")
        data = {**data, "csrfmiddlewaretoken": token}
    started = time.perf_counter()
    async with session.request(method, url, data=data, headers=headers, allow_redirects=False) as response:
        body = await response.text()
        timings.add(step, time.perf_counter() - started, response.status)
        if expect is not None and response.status != expect:
            raise RuntimeError(f"{step}: {response.status} {body[:200]}")
        return response.status, body, response.headers


async def claim_crowd(base, shops, shoppers, concurrency, timings):
    """Every shopper opens the sale page of a channel, then presses Buy now; the winners' sessions."""
    codes = list(shops)
    gate = asyncio.Semaphore(concurrency)
    winners = []
    answers = Counter()
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def shopper(n):
        code = codes[n % len(codes)]
        shop = shops[code]
        # unsafe: cookies of an IP address (127.0.0.1) are kept too.
        session = aiohttp.ClientSession(base, connector=connector, connector_owner=False,
                                        cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with gate:
            try:
                await request(session, timings, "sale page", "GET", f"/{code}/flash-sales/", expect=200)
                status, body, headers = await request(
                    session, timings, "claim", "POST", f"/{code}/flash-sales/items/{shop['item']}/claim/",
                    data={"quantity": "1"}, json=True,
                )
                answers[status] += 1
                while status == 429:  # the waiting page: come back when told
                    await asyncio.sleep(float(headers.get("Retry-After", "1")))
                    status, body, headers = await request(
                        session, timings, "claim", "POST", f"/{code}/flash-sales/items/{shop['item']}/claim/",
                        data={"quantity": "1"}, json=True,
                    )
                    answers[status] += 1
            except (TimeoutError, aiohttp.ClientError, RuntimeError) as exc:
                answers[type(exc).__name__] += 1
                await session.close()
                return
        if status == 200:
            winners.append((code, session, n, json.loads(body)["checkout_url"]))
        else:
            await session.close()

    started = time.perf_counter()
    await asyncio.gather(*(shopper(n) for n in range(shoppers)))
    return winners, answers, time.perf_counter() - started, connector


async def check_out(session, timings, code, shop, n, url):
    """The claim's one-page checkout (its URL from the claim's answer): one GET, one POST."""
    line1, city, phone = ADDRESSES[shop["country"]]
    _status, body, _headers = await request(session, timings, "checkout page", "GET", url, expect=200)
    key = re.search(INPUT.format("checkout_key"), body)
    total = re.search(INPUT.format(re.escape(f"expected_total-{shop['home']}")), body)
    if not key or not total:
        raise RuntimeError("checkout page: no checkout key or total")
    email = f"fan{n}@bench.example"
    fields = {
        "email": email, "first_name": "Ada", "last_name": "Obi", "line1": line1,
        "line4": city, "country": shop["country"], "phone_number": phone, "method_code": shop["home"],
        "option": shop["pod"], "checkout_key": key.group(1), f"expected_total-{shop['home']}": total.group(1),
    }
    # A guest's e-mail is verified first: this POST places nothing and e-mails a code.
    await request(session, timings, "send e-mail code", "POST", url, data=fields, expect=200)
    code = INBOX.code_for(email)
    if code is None:
        raise RuntimeError("no code e-mailed")
    await request(session, timings, "place order", "POST", url, data={**fields, "code": code}, expect=302)


async def order_crowd(winners, shops, concurrency, timings):
    gate = asyncio.Semaphore(concurrency)
    outcome = Counter()

    async def one(code, session, n, url):
        async with gate:
            try:
                await check_out(session, timings, code, shops[code], n, url)
                outcome["placed"] += 1
            except (TimeoutError, aiohttp.ClientError, RuntimeError) as exc:
                outcome[str(exc)[:60]] += 1
            finally:
                await session.close()

    started = time.perf_counter()
    await asyncio.gather(*(one(*w) for w in winners))
    return outcome, time.perf_counter() - started


def check_database(shops):
    """Oversold units (beyond the sale's units, or the listing's stock) and allocation drift."""
    from django.db.models import Sum

    from marketplace.flashsales.models import Reservation, SaleItem
    from marketplace.order.models import Line
    from marketplace.partner.models import StockRecord

    report = {}
    for code, shop in shops.items():
        listing = StockRecord.objects.get(pk=shop["listing"])
        # This sale's orders only (a --skip-build run reuses a database with earlier runs' orders).
        orders = Reservation.objects.filter(item_id=shop["item"], order__isnull=False).values("order_id")
        ordered = Line.objects.filter(stockrecord_id=shop["listing"], order_id__in=orders).aggregate(
            n=Sum("quantity"))["n"] or 0
        held = Reservation.objects.filter(item_id=shop["item"]).exclude(status__in=("expired", "released")).aggregate(
            n=Sum("quantity"))["n"] or 0
        report[code] = {
            "ordered": ordered, "reservations held": held,
            "oversold": max(ordered - shop["units"], 0) + max(held - shop["units"], 0),
            # The sale's units still held (not ordered) are allocated too, out of regular stock.
            "allocated == ordered + held": (listing.num_allocated or 0) == ordered + SaleItem.objects.get(
                pk=shop["item"]).units_held,
        }
    return report


def percentile_ms(values, pct):
    if not values:
        return "–"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] * 1000:.0f}"


async def run_scenario(name, port, shops, args):
    timings = Timings()
    base = f"http://{HOST}:{port}"
    shoppers = args.shoppers
    winners, answers, claim_seconds, connector = await claim_crowd(base, shops, shoppers, args.concurrency, timings)
    claims = sum(v for k, v in answers.items() if isinstance(k, int))
    outcome, order_seconds = await order_crowd(winners, shops, min(args.concurrency, 64), timings)
    await connector.close()
    placed = outcome.get("placed", 0)
    fivexx = sum(v for k, v in timings.statuses.items() if isinstance(k, int) and k >= 500)
    print(f"\n### {name}: {len(shops)} channel(s), {args.units} units each, {shoppers} shoppers\n")
    print(f"- claim answers: {claims} in {claim_seconds:.2f} s = **{claims / claim_seconds:.0f}/s** "
          f"(granted {answers.get(200, 0)}, refused {answers.get(409, 0)}, 429 {answers.get(429, 0)}, "
          f"other {dict((k, v) for k, v in answers.items() if k not in (200, 409, 429))})")
    print(f"- placed orders: {placed} in {order_seconds:.2f} s = **{placed / max(order_seconds, 1e-9):.0f}/s**"
          f" (failed: {dict((k, v) for k, v in outcome.items() if k != 'placed')})")
    print(f"- 5xx: **{fivexx}**, 429: {timings.statuses.get(429, 0)}")
    print("\n| step | n | p50 ms | p95 ms |\n|---|---|---|---|")
    for step, values in timings.steps.items():
        print(f"| {step} | {len(values)} | {percentile_ms(values, 50)} | {percentile_ms(values, 95)} |")
    report = await asyncio.to_thread(check_database, shops)
    oversold = sum(r["oversold"] for r in report.values())
    print(f"\n- oversold units (database, after the run): **{oversold}**; per channel: {report}")
    return oversold, fivexx


def main():
    args = parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(MAIL_DIR, ignore_errors=True)  # last run's inboxes
    MAIL_DIR.mkdir()
    env = bench_env(args)
    clear_redis(args.redis_url)
    if not args.skip_build:
        say("building the demo database (migrate, seed_demo) ...")
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
    setup_django(env)
    from django.db import connections

    print(f"## Flash-sale bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"- machine: {platform.node()}, {os.cpu_count()} cores, load before: {os.getloadavg()}")
    print(f"- gunicorn workers: {args.workers}, concurrency: {args.concurrency}, Redis claims")
    failures = 0
    scenarios = [("one hot item", ("ng",)), ("festival", FESTIVAL_CHANNELS)]
    if args.scenario != "both":
        scenarios = [s for s in scenarios if (s[0] == "one hot item") == (args.scenario == "hot")]
    for name, codes in scenarios:
        shops = {code: shop for code, shop in build_sales(args.units).items() if code in codes}
        connections.close_all()
        clear_redis(args.redis_url)
        with gunicorn(args.workers, env, WORK_DIR / "gunicorn.log") as port:
            oversold, fivexx = asyncio.run(run_scenario(name, port, shops, args))
        failures += oversold + fivexx
    print(f"\n- load after: {os.getloadavg()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())

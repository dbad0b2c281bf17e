"""
Flash-sale benchmark: a crowd of asynchronous HTTP shoppers against gunicorn +
PostgreSQL + Redis, for one hot item in one channel and for a festival across
four channels, in the shape of a real sale's start.

Builds the demo into a dedicated PostgreSQL database (dropped and recreated on
every run), puts a bench sale on top (``--units`` units of one Redmi listing per
channel, limit one per shopper) that starts ``--countdown`` seconds after it is
created, serves the site with gunicorn and lets ``--shoppers`` guests (many times
more than the units), ``--concurrency`` at a time, each with its own cookies
(aiohttp), go through four phases:

1. the countdown: every shopper opens the sale page (no price, no Buy now yet);
   pages/s and p50/p95 of this phase alone;
2. the start: every page reloads itself (``flashsales.js`` does, 1.5 s after zero),
   now live with Buy now and its CSRF token (the countdown's page has no form, so
   no CSRF cookie either); pages/s, p50/p95;
3. Buy now: everyone presses it (a JSON claim, with the session's cookies and CSRF
   token); claim answers/s (granted or refused) counted over this phase only,
   p50/p95, granted, refused and 429. These presses are sent on plain asyncio
   connections (``raw_post``), not aiohttp: aiohttp's ~1 ms of CPU per request is
   the crowd's own, runs on the same two cores as the server here and bounded
   this phase at a few hundred answers a second whatever the server did;
4. the winners check out on the claim's one-page checkout (the ``checkout_url`` of
   the claim's answer: one GET; the page's "E-mail me a code" button, its script's
   small JSON POST, which e-mails the guest a one-time code; then the form's one POST
   with e-mail, address, delivery, Pay on Delivery and the code, which places the
   order); orders/s. The served site
   writes its e-mails to files (Django's file backend, ``var/bench-flash/mail``) and
   the bench reads each guest's code there, as a shopper reads their inbox: no
   setting or shortcut in the site lets a guest skip the code.

Tasks run as in production: queued on Redis and run by a Celery worker (one process,
``celery -A marketplace worker``, on the same two cores), not inside the request. The
guest's code e-mail is such a task, so the bench waits for it in the inbox as a
shopper does; after the last order it reports how long the worker took to finish the
queue (the order confirmations, the analytics).

In a real sale a shopper's reload and press follow each other and overlap other
shoppers'; here each phase waits for the last of the one before, so each has its
own figures. If phase 1 is not done by the start it says so (the reloads still wait for its
last page: raise ``--countdown``). It also prints the earlier runs' whole figure (claim
answers over the time of every page and claim, the wait for the start left out),
to compare. Afterwards the database is checked: units ordered never above the
sale's units nor the listing's stock, allocated equals units ordered, one order per
granted shopper at most. Prints 429s, 5xx, oversold units and the machine's load.

    .venv/bin/python bench/flash_sale.py [--workers 6] [--shoppers 10000] [--units 200]
        [--concurrency 200] [--countdown 90] [--scenario hot|festival|both]
"""

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import redis
from serving import (
    HOST,
    ROOT,
    celery_lists,
    gunicorn,
    manage,
    positive_int,
    recreate_database,
    say,
    stop,
)
from yarl import URL

WORK_DIR = ROOT / "var" / "bench-flash"
MAIL_DIR = WORK_DIR / "mail"  # the site's e-mails (file backend): the guests' inboxes
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mp_flash_bench"
# This engineer's Redis database: only the bench's own keys are deleted (prefix and fs:{…}).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
CACHE_PREFIX = "flashbench"
FESTIVAL_CHANNELS = ("ng", "ke", "eg", "ci")
WORKER_NICE = 10
ADDRESSES = {
    "NG": ("12 Allen Avenue", "Lagos", "+2348031234567"),
    "EG": ("14 Abbas El Akkad St", "Cairo", "+201001234567"),
    "KE": ("Sarit Centre, Westlands", "Nairobi", "+254712345678"),
    "CI": ("Boulevard Latrille", "Abidjan", "+2250701020304"),
}
INPUT = r'name="{}" value="([^"]*)"'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--workers", type=positive_int, default=6, help="gunicorn.conf.py's count on 2 cores")
    parser.add_argument("--shoppers", type=positive_int, default=10_000, help="many times the units")
    parser.add_argument("--units", type=positive_int, default=200, help="units per channel")
    parser.add_argument("--concurrency", type=positive_int, default=200)
    parser.add_argument("--countdown", type=positive_int, default=90,
                        help="seconds from the sale's creation to its start (phase 1 runs within them)")
    parser.add_argument("--scenario", choices=("hot", "festival", "both"), default="both")
    parser.add_argument("--crowd", choices=("signed-in", "guests", "both"), default="signed-in",
                        help="fans signed in with a saved address (the app's one-POST confirmation), "
                             "or guests who verify an e-mail on the checkout page")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FLASH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_FLASH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--skip-build", action="store_true", help="reuse the database of the last run")
    return parser.parse_args()


def bench_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DATABASE_URL=args.database_url, REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=CACHE_PREFIX,
        CELERY_TASK_ALWAYS_EAGER="0", DEBUG="0", SERVE_MEDIA="1",
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

    POLL_SECONDS = 0.05

    def __init__(self, path):
        self.path, self.read_upto, self.codes = path, {}, {}
        self.scanned_at = 0.0

    async def wait_for(self, email: str, timeout: float = 60) -> str | None:
        """The code once the worker has e-mailed it (polled, as a shopper refreshes their inbox).

        The folder is scanned at most every ``POLL_SECONDS`` for all the waiting shoppers
        together: each scan runs in the crowd's event loop, on the server's cores."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if now - self.scanned_at >= self.POLL_SECONDS:
                self.scanned_at = now
                self.code_for(email)
            code = self.codes.get(email)
            if code is not None or now > deadline:
                return code
            await asyncio.sleep(self.POLL_SECONDS)

    def code_for(self, email: str) -> str | None:
        from email import message_from_bytes, policy

        for entry in os.scandir(self.path):
            start = self.read_upto.get(entry.name, 0)
            if not entry.name.endswith(".log") or entry.stat().st_size <= start:
                continue  # read whole already
            with open(entry.path, "rb") as file:
                data = file.read()
            self.read_upto[entry.name] = len(data)
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
    # The cache's keys, the flash sale's and Celery's queue (kombu's keys, in this Redis database).
    for pattern in (f"{CACHE_PREFIX}:*", "fs:{*", "celery", "celery\x06\x16*", "_kombu.*", "unacked*"):
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)


@contextmanager
def celery_worker(env, log_path):
    """One Celery worker process running the site's tasks (production's shape); stopped on exit.

    At nice 10, as on a machine that serves and works both: the web answers the crowd first,
    the worker (the accepted orders' rows, the e-mails) takes the CPU left over.
    """
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            ["nice", "-n", str(WORKER_NICE), sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--concurrency", "1",
             "--loglevel", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            stop(worker, timeout=30)


def queue_length(redis_url) -> int:
    """Tasks waiting in the Celery queue or taken and not yet done (acks late)."""
    client = redis.Redis.from_url(redis_url)
    return sum(client.llen(name) for name in celery_lists(client)) + client.hlen("unacked")


def orders_unwritten() -> int:
    """Accepted flash-sale orders the worker has not written yet (the database)."""
    from django.db import connection

    from marketplace.flashsales.models import AcceptedOrder

    try:
        return AcceptedOrder.objects.filter(order__isnull=True).count()
    finally:
        connection.close()  # (this thread's own)


async def drained(redis_url, timeout: float = 300) -> float | None:
    """Seconds until the worker has written every accepted order and run every queued task
    (None: not within ``timeout``). The queue is empty for a moment while a task runs (kombu
    does not always show it as unacknowledged): the orders are counted in the database, and the
    queue must be seen empty twice, 0.2 s apart."""
    started, empty_once = time.perf_counter(), False
    while time.perf_counter() - started < timeout:
        empty = (await asyncio.to_thread(queue_length, redis_url) == 0
                 and await asyncio.to_thread(orders_unwritten) == 0)
        if empty and empty_once:
            return time.perf_counter() - started - 0.2
        empty_once = empty
        await asyncio.sleep(0.2 if empty else 0.1)
    return None


def cpu_seconds() -> Counter:
    """CPU time used so far by the processes of the sale, by kind (Linux ``/proc``).

    Each process's own time and its reaped children's (a PostgreSQL backend that ended is in
    the postmaster's); the phases' figures are differences, so what ran before cancels out.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used = Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as file:
                stat = file.read()
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state): utime is field 14
        if int(pid) == os.getpid():
            kind = "the crowd (this process)"
        elif "gunicorn" in command:
            kind = "gunicorn (web)"
        elif "celery" in command:
            kind = "celery worker"
        elif name.startswith("postgres"):
            kind = "postgres"
        elif name.startswith("redis"):
            kind = "redis"
        else:
            continue
        used[kind] += sum(int(value) for value in fields[11:15]) / tick  # utime stime cutime cstime
    return used


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_sales(units, *, starts_in: float = -60):
    """A bench sale on a Mi listing of each festival channel, limit one per shopper, starting
    ``starts_in`` seconds from now (by default it started a minute ago)."""
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
    sale = Sale.objects.create(name="Bench flash sale", seller=mi, starts_at=now + timedelta(seconds=starts_in),
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


def build_fans(shoppers: int, codes) -> dict[int, str]:
    """Signed-in fans, as a festival's crowd is: an account each with a saved delivery address in
    its channel's country (shopper ``n`` shops in ``codes[n % len(codes)]``), signed in before
    the sale. Their session keys, by shopper. Fresh accounts every run (a run's orders keep theirs)."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from oscar.apps.address.models import Country, UserAddress

    from marketplace.storefront.sessions import SessionStore

    user_model = get_user_model()
    stamp = get_random_string(6, "abcdefghijkmnpqrstuvwxyz23456789")
    unusable = make_password(None)  # they never sign in here: signed in already
    users = user_model.objects.bulk_create(
        [user_model(username=f"fan-{stamp}-{n}", email=f"fan{n}.{stamp}@bench.example", password=unusable)
         for n in range(shoppers)], batch_size=1000)
    countries = {code: Country.objects.get(iso_3166_1_a2=code.upper()) for code in codes}
    addresses = []
    for n, user in enumerate(users):
        code = codes[n % len(codes)]
        line1, city, phone = ADDRESSES[code.upper()]
        addresses.append(UserAddress(user=user, first_name="Ada", last_name=f"Fan {n}", line1=line1, line4=city,
                                     country=countries[code], phone_number=phone, is_default_for_shipping=True,
                                     hash=f"bench-{n}"))
    UserAddress.objects.bulk_create(addresses, batch_size=1000)
    store, expires, keys, rows = SessionStore(), timezone.now() + timedelta(days=1), {}, []
    for n, user in enumerate(users):
        keys[n] = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(Session(session_key=keys[n], session_data=store.encode(data), expire_date=expires))
    Session.objects.bulk_create(rows, batch_size=1000)
    assert settings.SESSION_COOKIE_NAME
    return keys


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


async def open_pages(sessions, step, concurrency, timings):
    """Every shopper opens the sale page of their channel; those it failed for drop out of the crowd."""
    gate = asyncio.Semaphore(concurrency)
    failed = Counter()

    async def shopper(n, code, session):
        async with gate:
            try:
                await request(session, timings, step, "GET", f"/{code}/flash-sales/", expect=200)
            except (TimeoutError, aiohttp.ClientError, RuntimeError) as exc:
                failed[type(exc).__name__] += 1
                del sessions[n]
                await session.close()

    started = time.perf_counter()
    await asyncio.gather(*(shopper(n, code, session) for n, (code, session) in list(sessions.items())))
    return failed, time.perf_counter() - started


async def raw_post(port, session, path, form, timings, step):
    """A JSON form POST with the session's cookies, on a plain asyncio connection: ``(status, body, headers)``.

    The presses of phase 3 go this way, not through aiohttp, whose ~1 ms of CPU per request
    would be the crowd's, on the same two cores as the server, and bound the figure. Same
    request as aiohttp's (form, CSRF token, cookies, ``Accept: application/json``); the
    answer's cookies go into the session's jar, for the checkout.
    """
    token = next((c.value for c in session.cookie_jar if c.key == "csrftoken"), "")
    body = urlencode({**form, "csrfmiddlewaretoken": token}).encode()
    cookies = "; ".join(f"{c.key}={c.value}" for c in session.cookie_jar)
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: {cookies}\r\nConnection: close\r\n\r\n")
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(head.encode() + body)
        answer = await reader.read()
    finally:
        writer.close()
    head, _, text = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    timings.add(step, time.perf_counter() - started, status)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            session.cookie_jar.update_cookies(SimpleCookie(value.strip()), URL(f"http://{HOST}:{port}/"))
        headers[name.strip().title()] = value.strip()
    return status, text.decode(), headers


async def press_buy(port, shops, sessions, concurrency, timings):
    """Phase 3: every shopper whose page opened presses Buy now; the winners' sessions."""
    gate = asyncio.Semaphore(concurrency)
    winners = []
    answers = Counter()

    async def shopper(n, code, session):
        shop = shops[code]
        path = f"/{code}/flash-sales/items/{shop['item']}/claim/"
        async with gate:
            try:
                status, body, headers = await raw_post(port, session, path, {"quantity": "1"}, timings, "claim")
                answers[status] += 1
                while status == 429:  # the waiting page: come back when told
                    await asyncio.sleep(float(headers.get("Retry-After", "1")))
                    status, body, headers = await raw_post(port, session, path, {"quantity": "1"}, timings, "claim")
                    answers[status] += 1
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                answers[type(exc).__name__] += 1
                await session.close()
                return
        if status == 200:
            winners.append((code, session, n, json.loads(body)))
        else:
            await session.close()

    started = time.perf_counter()
    await asyncio.gather(*(shopper(n, code, session) for n, (code, session) in sessions.items()))
    return winners, answers, time.perf_counter() - started


async def confirm(session, timings, code, shop, n, answer, port):
    """A signed-in fan's checkout: the claim's answer carried the order, ready; one POST confirms it.

    As the app's confirmation sheet does: the fields the answer gave (the saved address, the
    checkout key, each delivery method's total), home delivery and Pay on Delivery chosen.
    """
    ready = answer.get("confirm")
    if ready is None:
        raise RuntimeError("claim answer: no order to confirm")
    fields = {**ready["fields"], "method_code": shop["home"], "option": str(shop["pod"])}
    if f"expected_total-{shop['home']}" not in fields:
        raise RuntimeError("claim answer: no total for home delivery")
    # On a plain connection, as the presses of phase 3 (``raw_post``: aiohttp's own CPU is the crowd's).
    status, body, _headers = await raw_post(port, session, ready["url"], fields, timings, "place order")
    if status != 302:
        raise RuntimeError(f"place order: {status} {body[:200]}")


async def check_out(session, timings, code, shop, n, answer, port):
    """A guest's one-page checkout (its URL from the claim's answer): one GET, one POST."""
    url = answer["checkout_url"]
    line1, city, phone = ADDRESSES[shop["country"]]
    _status, body, _headers = await request(session, timings, "checkout page", "GET", url, expect=200)
    key = re.search(INPUT.format("checkout_key"), body)
    total = re.search(INPUT.format(re.escape(f"expected_total-{shop['home']}")), body)
    if not key or not total:
        raise RuntimeError("checkout page: no checkout key or total")
    email = f"fan{n}.{shop['item']}@bench.example"  # the sale's item: a later scenario's guests are others
    fields = {
        "email": email, "first_name": "Ada", "last_name": "Obi", "line1": line1,
        "line4": city, "country": shop["country"], "phone_number": phone, "method_code": shop["home"],
        "option": shop["pod"], "checkout_key": key.group(1), f"expected_total-{shop['home']}": total.group(1),
    }
    # A guest's e-mail is verified first: the page's button asks for the code (its script's JSON
    # POST); the shopper stays on the page.
    await request(session, timings, "e-mail code (the page's button)", "POST", f"{url}code/",
                  data={"email": email}, json=True, expect=200)
    waited = time.perf_counter()
    code = await INBOX.wait_for(email)
    timings.add("the code e-mail arrives (the worker)", time.perf_counter() - waited, 200 if code else 0)
    if code is None:
        raise RuntimeError("no code e-mailed")
    await request(session, timings, "place order", "POST", url, data={**fields, "code": code}, expect=302)


async def order_crowd(port, winners, shops, concurrency, timings, crowd):
    gate = asyncio.Semaphore(concurrency)
    outcome = Counter()
    step = confirm if crowd == "signed-in" else check_out

    async def one(code, session, n, answer):
        async with gate:
            try:
                await step(session, timings, code, shops[code], n, answer, port)
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

    from marketplace.flashsales.models import AcceptedOrder, Reservation, SaleItem
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
        baskets = Reservation.objects.filter(item_id=shop["item"]).values("basket_id")
        accepted = AcceptedOrder.objects.filter(basket_id__in=baskets)
        report[code] = {
            "ordered": ordered, "reservations held": held, "accepted": accepted.count(),
            "accepted, written by the worker": accepted.filter(order__isnull=False).count(),
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


def timing_line(values) -> str:
    return f"p50 / p95 {percentile_ms(values, 50)} / {percentile_ms(values, 95)} ms"


async def run_scenario(name, port, shops, args, starts_at, crowd, fans):
    timings = Timings()
    codes = list(shops)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    # unsafe: cookies of an IP address (127.0.0.1) are kept too.
    sessions = {n: (codes[n % len(codes)], aiohttp.ClientSession(
        f"http://{HOST}:{port}", connector=connector, connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True)))
        for n in range(args.shoppers)}
    from django.conf import settings

    for n, key in fans.items():  # signed in before the sale
        sessions[n][1].cookie_jar.update_cookies({settings.SESSION_COOKIE_NAME: key}, URL(f"http://{HOST}:{port}/"))
    load, cpu = [os.getloadavg()[0]], []
    cpu_since = [time.process_time()]
    used = [cpu_seconds()]  # every process's CPU by kind, before phase 1 and after each phase

    def phase_done():
        load.append(os.getloadavg()[0])
        cpu.append(time.process_time() - cpu_since[0])
        cpu_since[0] = time.process_time()
        used.append(cpu_seconds())

    countdown_failed, countdown_seconds = await open_pages(sessions, "page, countdown", args.concurrency, timings)
    phase_done()
    lead = starts_at - time.time()
    if lead > 0:  # the countdown's end (the script reloads 1.5 s after zero; the wait is left out)
        await asyncio.sleep(lead + 0.2)
    cpu_since[0] = time.process_time()
    reload_failed, reload_seconds = await open_pages(sessions, "page, live", args.concurrency, timings)
    phase_done()
    winners, answers, claim_seconds = await press_buy(port, shops, sessions, args.concurrency, timings)
    phase_done()
    claims = sum(v for k, v in answers.items() if isinstance(k, int))
    outcome, order_seconds = await order_crowd(port, winners, shops, min(args.concurrency, 64), timings, crowd)
    phase_done()
    drain_seconds = await drained(args.redis_url)
    used.append(cpu_seconds())
    await connector.close()
    placed = outcome.get("placed", 0)
    fivexx = sum(v for k, v in timings.statuses.items() if isinstance(k, int) and k >= 500)
    steps = timings.steps
    print(f"\n### {name}: {len(shops)} channel(s), {args.units} units each, {args.shoppers} shoppers, "
          f"{args.concurrency} at a time\n")
    print(f"- phase 1, the countdown: sale pages {len(steps['page, countdown'])} in {countdown_seconds:.2f} s = "
          f"**{len(steps['page, countdown']) / countdown_seconds:.0f}/s**, {timing_line(steps['page, countdown'])} "
          f"(failed: {dict(countdown_failed)}); "
          + (f"done {lead:.1f} s before the start" if lead > 0 else
             f"**ran {-lead:.1f} s past the start** (the rest waited for it; raise --countdown)"))
    print(f"- phase 2, the start: every page reloads itself (live, with Buy now and its CSRF token): "
          f"{len(steps['page, live'])} in {reload_seconds:.2f} s = "
          f"**{len(steps['page, live']) / reload_seconds:.0f}/s**, {timing_line(steps['page, live'])} "
          f"(failed: {dict(reload_failed)})")
    print(f"- phase 3, Buy now: claim answers {claims} in {claim_seconds:.2f} s = "
          f"**{claims / claim_seconds:.0f}/s**, {timing_line(steps['claim'])} "
          f"(granted {answers.get(200, 0)}, refused {answers.get(409, 0)}, 429 {answers.get(429, 0)}, "
          f"other {dict((k, v) for k, v in answers.items() if k not in (200, 409, 429))})")
    print(f"- phase 4, the winners check out ({'one POST each, from the claim' + chr(39) + 's answer' if crowd == 'signed-in' else 'page, code, POST'}): placed orders {placed} in {order_seconds:.2f} s = "
          f"**{placed / max(order_seconds, 1e-9):.0f}/s**, place order {timing_line(steps['place order'])} "
          f"(failed: {dict((k, v) for k, v in outcome.items() if k != 'placed')})")
    print("- the worker's queue (the accepted orders' rows, confirmations, analytics) after the last order: "
          + (f"done {drain_seconds:.1f} s later" if drain_seconds is not None else "**not done within 300 s**"))
    whole = countdown_seconds + reload_seconds + claim_seconds
    print(f"- whole run, as the earlier figures (claim answers over the time of every page and claim, the wait "
          f"for the start left out): {claims} in {whole:.2f} s = {claims / whole:.0f}/s")
    print(f"- 5xx: **{fivexx}**, 429: {timings.statuses.get(429, 0)}; load average (1 min) before phase 1 and "
          f"after each phase: {', '.join(f'{x:.1f}' for x in load)}; the crowd's own CPU per phase (this "
          f"process, on the same cores): {', '.join(f'{x:.1f}' for x in cpu)} s")
    kinds = sorted(set().union(*used), key=lambda kind: -(used[-1][kind] - used[0][kind]))
    print("\nCPU seconds by process per phase (Linux /proc, every process of the kind on this machine; "
          "two cores give 2 s a second):\n")
    print("| phase | wall s | " + " | ".join(kinds) + " |\n|---|---|" + "---|" * len(kinds))
    walls = [countdown_seconds, reload_seconds, claim_seconds, order_seconds, drain_seconds or 0]
    names = ["1 countdown", "2 reload (and the idle wait for the start)", "3 Buy now", "4 check out",
             "the worker's queue after"]
    for n, (phase, wall) in enumerate(zip(names, walls, strict=True)):
        print(f"| {phase} | {wall:.1f} | " + " | ".join(f"{used[n + 1][k] - used[n][k]:.1f}" for k in kinds) + " |")
    if placed:
        per_order = {k: (used[4][k] - used[3][k] + used[5][k] - used[4][k]) / placed * 1000 for k in kinds}
        print("\nCPU per placed order, phase 4 and the worker's queue after it: "
              + ", ".join(f"{k} {ms:.0f} ms" for k, ms in per_order.items())
              + f"; in all {sum(per_order.values()):.0f} ms")
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
    crowds = ("signed-in", "guests") if args.crowd == "both" else (args.crowd,)
    for (name, codes), crowd in [(scenario, crowd) for scenario in scenarios for crowd in crowds]:
        fans = build_fans(args.shoppers, codes) if crowd == "signed-in" else {}
        starts_at = time.time() + args.countdown
        shops = {code: shop for code, shop in build_sales(args.units, starts_in=args.countdown).items()
                 if code in codes}
        connections.close_all()
        clear_redis(args.redis_url)
        with celery_worker(env, WORK_DIR / "celery.log"), gunicorn(args.workers, env, WORK_DIR / "gunicorn.log") as port:
            oversold, fivexx = asyncio.run(run_scenario(f"{name}, {crowd}", port, shops, args, starts_at, crowd,
                                                        fans))
        failures += oversold + fivexx
    print(f"\n- load after: {os.getloadavg()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())

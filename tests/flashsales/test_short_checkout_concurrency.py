"""On PostgreSQL, the one-page checkout of claims submitted from many threads at once.

Each thread is a browser tab: its own client with the claim's cookies (session,
basket, CSRF). Submissions of one claim place one order; the last units of a sale
and the listing's regular stock, ordered at once, are never oversold.
"""

import threading
from collections import Counter

import pytest
from django.db import connections
from django.db.models import Sum
from django.test import Client

from marketplace.flashsales.models import AcceptedOrder, Reservation, SaleItem
from marketplace.order.models import Line, Order
from marketplace.order.services import CheckoutError
from marketplace.partner.models import StockRecord
from tests import factories
from tests.checkout.builders import basket_with, home_delivery, pay_on_delivery, place

from .conftest import make_item, make_sale
from .test_short_checkout import ADDRESS, form_data, verified

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"


def won_claim(item, n):
    """A guest's client that claimed a unit of ``item``, and its filled-in checkout form."""
    client = Client()
    claimed = client.post(f"/ng/flash-sales/items/{item.pk}/claim/", {"quantity": "1"})
    assert claimed.status_code == 302
    url = claimed["Location"]  # the claim's one-page checkout
    page = client.get(url)
    assert page.status_code == 200
    verified(client, f"fan{n}@example.com")  # its e-mail confirmed by a code (test_guest_verification)
    return client, url, {**form_data(page), "email": f"fan{n}@example.com", **ADDRESS}


def tab_of(client):
    """Another tab of the same browser: the same cookies."""
    tab = Client()
    tab.cookies = client.cookies
    return tab


def run_together(jobs):
    """Run the callables at once (a barrier), collecting results and anything unexpected."""
    start = threading.Barrier(len(jobs))
    results, unexpected, lock = [], [], threading.Lock()

    def run(job):
        try:
            start.wait()
            result = job()
            with lock:
                results.append(result)
        except BaseException as exc:  # deadlocks, integrity errors, 500s: all unexpected
            with lock:
                unexpected.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return results, unexpected


def submit(tab, url, fields):
    def job():
        response = tab.post(url, fields)
        assert response.status_code < 500, response.status_code
        return response.status_code
    return job


def test_one_claim_submitted_from_eight_tabs_at_once_places_one_order(postgres, claims_path, hot_item,
                                                                      channel_ngn):
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    client, url, fields = won_claim(hot_item, 1)

    statuses, unexpected = run_together([submit(tab_of(client), url, fields) for _ in range(8)])

    assert not unexpected, unexpected[:3]
    assert 302 in statuses and set(statuses) <= {302, 404, 409}, statuses
    assert Order.objects.count() == 1
    # Accepted (its number given at once), then written by the task (eager here, after the commit).
    assert AcceptedOrder.objects.get().order == Order.objects.get()
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.ORDERED and reservation.order == Order.objects.get()
    hot_item.refresh_from_db()
    assert hot_item.units_held == hot_item.units - 1


def test_the_last_units_and_regular_stock_ordered_at_once_are_never_oversold(
    postgres, official_store, channel_ngn
):
    """Five claims of the last five units, each submitted from two tabs, while six regular
    buyers go for the listing's three units of regular stock: eight orders, nothing more."""
    listing = factories.listing(factories.product("Redmi 13C"), official_store, channel_ngn, "60000", stock=8)
    item = make_item(make_sale(seller=official_store, channels=[channel_ngn]), listing, units=5)
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    claims = [won_claim(item, n) for n in range(5)]

    def regular_buyer():
        try:
            place(channel_ngn, basket_with(channel_ngn, (listing.product, 1)))
            return "placed"
        except CheckoutError:
            return "sold out"

    jobs = [submit(tab_of(client), url, fields) for client, url, fields in claims for _ in range(2)]
    jobs += [regular_buyer for _ in range(6)]
    results, unexpected = run_together(jobs)

    assert not unexpected, unexpected[:3]
    outcomes = Counter(results)
    assert outcomes["placed"] == 3 and outcomes["sold out"] == 3
    assert Order.objects.count() == 8
    assert AcceptedOrder.objects.filter(order__isnull=False).count() == 5  # the claims' orders
    assert Reservation.objects.filter(status=Reservation.ORDERED).count() == 5
    assert Order.objects.filter(guest_email__startswith="fan").values("guest_email").distinct().count() == 5
    listing = StockRecord.objects.get(pk=listing.pk)
    sold = Line.objects.filter(stockrecord=listing).aggregate(n=Sum("quantity"))["n"]
    assert sold == listing.num_allocated == listing.num_in_stock == 8
    assert SaleItem.objects.get(pk=item.pk).units_held == 0


def test_orders_of_held_units_do_not_wait_for_each_other_but_a_rule_still_waits_for_them(
    postgres, claims_path, hot_item, channel_ngn, monkeypatch
):
    """A hot item's orders take units held for the sale already: the listing's row is locked
    FOR SHARE, so a second order is placed while the first is still inside its transaction
    (the old NO KEY UPDATE made every order of the item wait for the one before, for the
    whole of its creation: ten orders a second at most). A lock that changes the row (an
    exclusive rule being created, FOR UPDATE) still has to wait for the open order."""
    from django.db import OperationalError, transaction

    from marketplace.order import services

    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    first, second = won_claim(hot_item, 1), won_claim(hot_item, 2)
    inside, go_on = threading.Event(), threading.Event()
    reload_listings = services._reload_listings

    def pause_the_first(lines):
        # Called inside the order transaction, after the listings were locked.
        if threading.current_thread().name == "first":
            inside.set()
            assert go_on.wait(60)
        return reload_listings(lines)

    monkeypatch.setattr(services, "_reload_listings", pause_the_first)
    answers = {}

    def order(name, claim):
        client, url, fields = claim
        try:
            answers[name] = tab_of(client).post(url, fields).status_code
        finally:
            connections.close_all()

    def rule_lock():
        try:
            with transaction.atomic():
                StockRecord.objects.select_for_update(nowait=True).filter(pk=hot_item.listing_id).first()
            answers["rule"] = "locked"
        except OperationalError:
            answers["rule"] = "had to wait"
        finally:
            connections.close_all()

    threads = {"first": threading.Thread(target=order, args=("first", first), name="first")}
    threads["first"].start()
    try:
        assert inside.wait(60), "the first order never reached its transaction"
        threads["second"] = threading.Thread(target=order, args=("second", second), name="second")
        threads["rule"] = threading.Thread(target=rule_lock, name="rule")
        threads["second"].start()
        threads["second"].join(timeout=30)
        threads["rule"].start()
        threads["rule"].join(timeout=30)
        second_done_while_first_open = not threads["second"].is_alive()
    finally:
        go_on.set()
        for thread in threads.values():
            thread.join(timeout=60)

    assert second_done_while_first_open, "the second order waited for the first one's transaction"
    assert answers == {"first": 302, "second": 302, "rule": "had to wait"}, answers
    assert Order.objects.count() == 2
    hot_item.refresh_from_db()
    assert hot_item.units_held == hot_item.units - 2
    listing = StockRecord.objects.get(pk=hot_item.listing_id)
    assert listing.num_allocated == hot_item.units  # the two orders' units and the rest still held

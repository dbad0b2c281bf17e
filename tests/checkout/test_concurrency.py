"""On PostgreSQL, many shoppers at once never oversell and never deadlock."""

import random
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.db.models import Sum

from marketplace.order.models import Line, Order
from marketplace.order.services import CheckoutError
from tests import factories

from .builders import basket_with, home_delivery, pay_on_delivery, place

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50


def buy_until_sold_out(channel, products, threads=THREADS):
    """``threads`` shoppers each buy one of every product, again and again, until sold out."""
    start = threading.Barrier(threads)
    outcomes: Counter[str] = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def shopper(seed):
        rng = random.Random(seed)
        try:
            start.wait()
            while True:
                # Items in a random order: the locks must still be taken in one order.
                items = [(product, 1) for product in products]
                rng.shuffle(items)
                try:
                    place(channel, basket_with(channel, *items))
                    result = "placed"
                except CheckoutError:
                    result = "sold out"
                with lock:
                    outcomes[result] += 1
                if result == "sold out":
                    return
        except BaseException as exc:  # deadlocks, integrity errors: all unexpected
            with lock:
                unexpected.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=shopper, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return outcomes, unexpected


@pytest.mark.parametrize("item_count", [1, 2], ids=["one hot item", "two items in random order"])
def test_fifty_threads_sell_exactly_the_stock(postgres, official_store, channel_ngn, item_count):
    listings = [
        factories.listing(factories.product(f"Hot item {n}"), official_store, channel_ngn, "60000", stock=100)
        for n in range(item_count)
    ]
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)

    outcomes, unexpected = buy_until_sold_out(channel_ngn, [listing.product for listing in listings])

    assert not unexpected, unexpected[:3]
    assert outcomes == {"placed": 100, "sold out": THREADS}
    assert Order.objects.count() == 100
    for listing in listings:
        listing.refresh_from_db()
        sold = Line.objects.filter(stockrecord=listing).aggregate(n=Sum("quantity"))["n"]
        assert listing.num_allocated == sold == 100


def test_an_allocation_holds_the_listings_row_lock_until_commit(postgres, official_store, channel_ngn):
    """A second shopper's allocation of the same listing waits for the first transaction."""
    from django.db import OperationalError, transaction

    from marketplace.order import stock

    listing = factories.listing(factories.product(), official_store, channel_ngn, "100", stock=5)
    errors: list[BaseException] = []

    def second_shopper():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                stock.allocate([(listing.pk, 1)])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        stock.allocate([(listing.pk, 1)])
        other = threading.Thread(target=second_shopper)
        other.start()
        other.join(timeout=30)

    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert "lock timeout" in str(errors[0])
    listing.refresh_from_db()
    assert listing.num_allocated == 1


def test_one_basket_placed_from_two_sessions_at_once_gives_one_order(postgres, official_store, channel_ngn):
    listing = factories.listing(factories.product("Shared basket"), official_store, channel_ngn, "1000", stock=5)
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    basket = basket_with(channel_ngn, (listing.product, 1))
    start = threading.Barrier(2)
    results = []

    def session(key):
        try:
            start.wait()
            results.append(place(channel_ngn, basket.__class__.objects.get(pk=basket.pk), key=key))
        except Exception as exc:  # noqa: BLE001  (reported to the test)
            results.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=session, args=(key,)) for key in ("session-a", "session-b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], CheckoutError), results
    assert "already been ordered" in str(refused[0].message)
    assert Order.objects.count() == 1
    listing.refresh_from_db()
    assert listing.num_allocated == 1


def test_a_price_change_committed_by_another_session_before_the_lock_is_caught(
    postgres, official_store, channel_ngn, monkeypatch
):
    from decimal import Decimal

    from marketplace.order import stock
    from marketplace.partner.models import StockRecord

    listing = factories.listing(factories.product("Repriced"), official_store, channel_ngn, "1000", stock=5)
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    basket = basket_with(channel_ngn, (listing.product, 1))
    locking = stock.allocate

    def another_session_reprices_then_allocate(quantities, **kwargs):
        def reprice():
            StockRecord.objects.filter(pk=listing.pk).update(price=Decimal("1200"))
            connection.close()

        worker = threading.Thread(target=reprice)
        worker.start()
        worker.join(timeout=30)
        return locking(quantities, **kwargs)

    monkeypatch.setattr(stock, "allocate", another_session_reprices_then_allocate)

    with pytest.raises(CheckoutError, match="has changed"):
        place(channel_ngn, basket)
    assert not Order.objects.exists()

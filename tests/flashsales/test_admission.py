"""Claims on both paths: exact under concurrency, limits, windows, expiry, orders."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connections
from django.db.models import Sum
from django.utils import timezone

from marketplace.basket.models import Basket
from marketplace.flashsales import rules
from marketplace.flashsales.models import Reservation, SaleItem
from marketplace.flashsales.services import reservations_sweep
from marketplace.order.models import Line, Order
from marketplace.order.services import CheckoutError
from tests.checkout.builders import home_delivery, pay_on_delivery, place

from .conftest import claim, make_item, make_sale

pytestmark = pytest.mark.django_db(transaction=True)


THREADS = 40  # PostgreSQL's connections are shared by the whole machine


def crowd(count, work, threads=THREADS):
    """``count`` shoppers run ``work(n)`` on ``threads`` threads started together."""
    threads = min(threads, count)
    start = threading.Barrier(threads)
    pending = iter(range(count))
    results, unexpected, lock = [], [], threading.Lock()

    def run():
        try:
            start.wait()
            while True:
                with lock:
                    n = next(pending, None)
                if n is None:
                    return
                result = work(n)
                with lock:
                    results.append(result)
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            with lock:
                unexpected.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return results, unexpected


def test_200_shoppers_on_50_units_claim_exactly_50_and_order_50(postgres, claims_path, hot_item, channel_ngn):
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)

    answers, unexpected = crowd(200, lambda n: claim(hot_item, f"s:shopper-{n}"))

    assert not unexpected, unexpected[:3]
    codes = Counter(answer.code for answer in answers)
    assert codes == {"ok": 50, rules.SOLD_OUT: 150}
    reservations = list(Reservation.objects.filter(item=hot_item))
    assert len(reservations) == 50 and sum(r.quantity for r in reservations) == 50

    # Each winner orders (its own e-mail: the guest limit is per contact).
    def order(n):
        reservation = reservations[n]
        basket = Basket.objects.get(pk=reservation.basket_id)
        from tests.checkout import builders

        return builders.order_place(
            channel=channel_ngn, basket=basket, user=AnonymousUser(), guest_email=f"fan{n}@example.com",
            shipping_address=builders.address(channel_ngn),
            shipping_method=builders.DeliveryMethod(builders.home_delivery(channel_ngn), channel_ngn),
            payment_option=builders.pay_on_delivery(channel_ngn), checkout_key=f"flash-{n}",
        )

    placed, unexpected = crowd(50, order)
    assert not unexpected, unexpected[:3]
    assert Order.objects.count() == 50
    hot_item.listing.refresh_from_db()
    ordered = Line.objects.filter(stockrecord=hot_item.listing).aggregate(n=Sum("quantity"))["n"]
    assert hot_item.listing.num_allocated == ordered == 50
    assert Reservation.objects.filter(item=hot_item, status=Reservation.ORDERED).count() == 50
    # Every order line at the sale price, tax added.
    assert set(Line.objects.values_list("unit_price_excl_tax", flat=True)) == {hot_item.sale_price}


def test_one_shopper_from_ten_threads_with_limit_one_gets_one(postgres, claims_path, hot_item):
    answers, unexpected = crowd(10, lambda n: claim(hot_item, "u:42"))

    assert not unexpected, unexpected[:3]
    assert Counter(a.code for a in answers) == {"ok": 1, rules.SHOPPER_LIMIT: 9}
    assert Reservation.objects.filter(item=hot_item).count() == 1


def test_claims_before_the_start_and_after_the_end_are_refused(postgres, claims_path, official_store,
                                                               channel_ngn, hot_listing):
    early = make_item(make_sale(seller=official_store, channels=[channel_ngn], starts_in=timedelta(hours=1)),
                      hot_listing)
    over = make_item(make_sale(seller=official_store, channels=[channel_ngn], starts_in=timedelta(hours=-3),
                               lasts=timedelta(hours=1)), hot_listing)

    assert claim(early, "u:1").code == rules.NOT_STARTED
    assert claim(over, "u:1").code == rules.SALE_ENDED
    assert not Reservation.objects.exists()


def test_an_expired_reservation_frees_its_unit_for_the_next_shopper(postgres, claims_path, live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, units=1)
    first = claim(item, "u:1")
    assert first.granted and claim(item, "u:2").code == rules.SOLD_OUT

    _expire(first.reservation)
    second = claim(item, "u:2")

    assert second.granted, second.message
    assert claim(item, "u:3").code == rules.SOLD_OUT


def test_a_reservation_cannot_become_an_order_after_it_expired(postgres, claims_path, hot_item, channel_ngn):
    answer = claim(hot_item, "u:1")
    _expire(answer.reservation)
    basket = Basket.objects.get(pk=answer.reservation.basket_id)

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, basket)

    assert "expired" in str(refused.value.message)
    assert not Order.objects.exists()
    hot_item.listing.refresh_from_db()
    assert hot_item.listing.num_allocated == 50  # only the sale's hold: nothing ordered
    hot_item.refresh_from_db()
    assert hot_item.units_held == 50


def test_a_reservation_cannot_become_an_order_after_the_sale_ended(postgres, claims_path, hot_item, channel_ngn):
    answer = claim(hot_item, "u:1")
    sale = hot_item.sale
    sale.ends_at = timezone.now() - timedelta(seconds=1)
    sale.starts_at = sale.ends_at - timedelta(hours=1)
    sale.save()
    basket = Basket.objects.get(pk=answer.reservation.basket_id)

    with pytest.raises(CheckoutError):
        place(channel_ngn, basket)
    assert not Order.objects.exists()


def test_a_replayed_order_places_one_order(postgres, claims_path, hot_item, channel_ngn):
    answer = claim(hot_item, "u:1")
    basket = Basket.objects.get(pk=answer.reservation.basket_id)

    first = place(channel_ngn, basket, key="same")
    again = place(channel_ngn, Basket.objects.get(pk=basket.pk), key="same")

    assert first.created and not again.created and first.order == again.order
    assert Order.objects.count() == 1


def test_a_guest_email_cannot_order_more_than_the_limit_from_two_baskets(postgres, claims_path, hot_item,
                                                                        channel_ngn):
    one, two = claim(hot_item, "s:phone"), claim(hot_item, "s:laptop")
    place(channel_ngn, Basket.objects.get(pk=one.reservation.basket_id))  # guest@example.com

    with pytest.raises(CheckoutError):
        place(channel_ngn, Basket.objects.get(pk=two.reservation.basket_id))
    assert Order.objects.count() == 1


def test_the_sweep_writes_expiry_down_and_gives_units_back(postgres, claims_path, live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, units=2)
    answer = claim(item, "u:1")
    _expire(answer.reservation)

    assert reservations_sweep() >= 1

    answer.reservation.refresh_from_db()
    assert answer.reservation.status == Reservation.EXPIRED
    if claims_path == "database":
        assert SaleItem.objects.get(pk=item.pk).units_taken == 0
    assert claim(item, "u:1").granted  # the shopper's own count went back too


def _expire(reservation):
    """Move a reservation's expiry into the past (time passing), in the database and in Redis."""
    past = timezone.now() - timedelta(seconds=1)
    Reservation.objects.filter(pk=reservation.pk).update(expires_at=past)
    # "Sold out until the first expiry" was remembered with the expiry before it moved.
    cache.delete(f"flashsales:soldout:{reservation.item_id}")
    if reservation.via_redis:
        from marketplace.flashsales import redis_claims

        redis_claims.client().zadd(redis_claims.keys(reservation.item_id)[1],
                                   {str(reservation.token): int(past.timestamp() * 1000)})


def test_the_sweep_makes_the_header_basket_show_an_expired_reservation(postgres, claims_path, hot_item):
    from marketplace.pagecache.versions import basket_version

    answer = claim(hot_item, "u:1")
    basket_id = answer.reservation.basket_id
    before = basket_version(basket_id)
    _expire(answer.reservation)

    assert reservations_sweep() >= 1
    # The basket holes are kept per basket version: the sale price must not stay there.
    assert basket_version(basket_id) != before

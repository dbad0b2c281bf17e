"""A sale's units are out of regular stock while it runs; orders, stops and ends move them."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.basket.models import Basket
from marketplace.flashsales import redis_claims
from marketplace.flashsales.models import Reservation, Sale, SaleItem
from marketplace.flashsales.services import reservations_sweep, sale_approve, sale_stop
from marketplace.order.models import Order
from marketplace.order.services import CheckoutError
from marketplace.partner.strategy import Selector
from tests import factories
from tests.checkout import builders
from tests.checkout.builders import basket_with, place

from .conftest import claim, make_item, make_sale
from .test_admission import crowd

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="operator", password="x", is_staff=True)


def _free(listing):
    listing.refresh_from_db()
    return listing.num_in_stock - (listing.num_allocated or 0)


def test_approval_holds_the_units_out_of_regular_stock_and_a_stop_gives_them_back(
        official_store, channel_ngn, staff_user):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "60000", stock=10)
    sale = make_sale(seller=official_store, channels=[channel_ngn], status=Sale.SUBMITTED)
    item = make_item(sale, listing, units=8)
    assert _free(listing) == 10

    sale_approve(sale=sale, actor=staff_user)

    assert _free(listing) == 2
    info = Selector().strategy(channel=channel_ngn).fetch_for_product(listing.product, listing)
    assert info.availability.num_available == 2  # the strategy: what regular buyers can have
    item.refresh_from_db()
    assert item.units_held == 8

    sale_stop(sale=Sale.objects.get(pk=sale.pk), actor=staff_user)

    assert _free(listing) == 10
    item.refresh_from_db()
    assert item.units_held == 0


def test_approval_is_refused_when_the_listing_has_not_the_units_and_holds_nothing(
        official_store, channel_ngn, staff_user):
    one = factories.listing(factories.product("Redmi A"), official_store, channel_ngn, "60000", stock=10)
    two = factories.listing(factories.product("Redmi B"), official_store, channel_ngn, "60000", stock=10)
    sale = make_sale(seller=official_store, channels=[channel_ngn], status=Sale.SUBMITTED)
    make_item(sale, one, units=5)
    make_item(sale, two, units=5)
    basket = basket_with(channel_ngn, (two.product, 8))
    place(channel_ngn, basket)  # a regular order took 8 of two's 10 meanwhile

    with pytest.raises(ValidationError):
        sale_approve(sale=sale, actor=staff_user)

    assert _free(one) == 10 and _free(two) == 2
    assert Sale.objects.get(pk=sale.pk).status == Sale.SUBMITTED


def test_a_regular_buyer_cannot_take_a_unit_held_for_the_sale(official_store, channel_ngn, hot_item):
    listing = hot_item.listing  # 100 in stock, 50 on sale
    with pytest.raises(CheckoutError):
        place(channel_ngn, basket_with(channel_ngn, (listing.product, 51)))
    place(channel_ngn, basket_with(channel_ngn, (listing.product, 50)))
    assert _free(listing) == 0

    answer = claim(hot_item, "u:1")  # the sale's own units are still there for the claim...
    placed = place(channel_ngn, Basket.objects.get(pk=answer.reservation.basket_id))  # ...and its order

    assert placed.created
    listing.refresh_from_db()
    assert listing.num_allocated == 100
    hot_item.refresh_from_db()
    assert hot_item.units_held == 49


def test_regular_buyers_and_claimants_racing_never_take_each_others_units(
        postgres, claims_path, official_store, channel_ngn, live_sale):
    """60 in stock, 30 on sale: 60 regular buyers and 60 claimants at once. 30 + 30 orders."""
    listing = factories.listing(factories.product("Redmi Hot"), official_store, channel_ngn, "60000", stock=60)
    item = make_item(live_sale, listing, units=30)
    builders.home_delivery(channel_ngn)
    builders.pay_on_delivery(channel_ngn)

    def shop(n):
        if n % 2:
            try:
                place(channel_ngn, basket_with(channel_ngn, (listing.product, 1)), key=f"regular-{n}")
            except CheckoutError:
                return "regular refused"
            return "regular"
        answer = claim(item, f"s:fan-{n}")
        if not answer.granted:
            return answer.code
        try:
            builders.order_place(
                channel=channel_ngn, basket=Basket.objects.get(pk=answer.reservation.basket_id),
                user=AnonymousUser(), guest_email=f"fan{n}@example.com",
                shipping_address=builders.address(channel_ngn),
                shipping_method=builders.DeliveryMethod(builders.home_delivery(channel_ngn), channel_ngn),
                payment_option=builders.pay_on_delivery(channel_ngn), checkout_key=f"fan-{n}",
            )
        except CheckoutError:
            return "claim's order refused"
        return "claim"

    results, unexpected = crowd(120, shop)

    assert not unexpected, unexpected[:3]
    counts = Counter(results)
    assert counts["claim"] == 30 and counts["regular"] == 30, counts
    assert counts["claim's order refused"] == 0
    listing.refresh_from_db()
    assert listing.num_allocated == 60 == Order.objects.count()
    item.refresh_from_db()
    assert item.units_held == 0


def test_the_sweep_gives_an_ended_sales_unsold_units_back(official_store, channel_ngn, hot_item):
    claim(hot_item, "u:1")
    Sale.objects.filter(pk=hot_item.sale_id).update(ends_at=timezone.now() - timedelta(seconds=1),
                                                      starts_at=timezone.now() - timedelta(hours=1))
    assert _free(hot_item.listing) == 50

    reservations_sweep()

    assert _free(hot_item.listing) == 100
    assert SaleItem.objects.get(pk=hot_item.pk).units_held == 0
    reservations_sweep()  # twice: nothing more
    assert _free(hot_item.listing) == 100


def test_a_stopped_sales_reservation_cannot_be_ordered(official_store, channel_ngn, hot_item, staff_user):
    answer = claim(hot_item, "u:1")
    sale_stop(sale=hot_item.sale, actor=staff_user)

    with pytest.raises(CheckoutError):
        place(channel_ngn, Basket.objects.get(pk=answer.reservation.basket_id))
    assert _free(hot_item.listing) == 100 and not Order.objects.exists()


# (b) Redis learns of an order only once it committed ------------------------


@pytest.fixture
def redis_path(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    settings.FLASHSALES_CLAIMS = "redis"


def _redis_held(item, token):
    return redis_claims.client().hexists(redis_claims.keys(item.pk)[2], str(token))


def test_a_rolled_back_order_leaves_the_reservation_held_in_redis_and_the_database(
        redis_path, official_store, channel_ngn, hot_item, monkeypatch):
    from marketplace.payments.models import PaymentOption

    answer = claim(hot_item, "u:1")
    basket = Basket.objects.get(pk=answer.reservation.basket_id)

    def fails(self, *, order):
        raise RuntimeError("the payment provider failed after the reservations were converted")

    with monkeypatch.context() as patch:
        patch.setattr(PaymentOption, "start_payment", fails)
        with pytest.raises(RuntimeError):
            place(channel_ngn, basket)

    assert not Order.objects.exists()
    assert _redis_held(hot_item, answer.reservation.token)
    assert Reservation.objects.get(pk=answer.reservation.pk).status == Reservation.RESERVED
    assert SaleItem.objects.get(pk=hot_item.pk).units_held == 50
    meta = redis_claims.client().hgetall(redis_claims.keys(hot_item.pk)[0])
    assert meta["taken"] == "1" and meta["ordered"] == "0"
    # And the shopper can still order it.
    placed = place(channel_ngn, Basket.objects.get(pk=basket.pk))
    assert placed.created
    assert not _redis_held(hot_item, answer.reservation.token)
    meta = redis_claims.client().hgetall(redis_claims.keys(hot_item.pk)[0])
    assert meta["taken"] == "1" and meta["ordered"] == "1"


def test_an_order_committed_after_redis_purged_the_reservation_counts_the_unit_taken_again(
        redis_path, official_store, channel_ngn, live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, units=1)
    answer = claim(item, "u:1")
    # Redis's clock passed the expiry (the database's had not, when it checked).
    redis_claims.run("release", item.pk, str(answer.reservation.token))
    assert redis_claims.run("left", item.pk)[0] == 1

    place(channel_ngn, Basket.objects.get(pk=answer.reservation.basket_id))

    assert redis_claims.run("left", item.pk)[0] == 0
    assert claim(item, "u:2").code == "sold_out"


# (c) the per-order limit when the order is placed ------------------------------


def test_two_claims_in_one_basket_cannot_order_more_than_the_per_order_limit(
        claims_path, official_store, channel_ngn, live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, per_shopper=4, per_order=2)
    first = claim(item, "u:1", quantity=2)
    basket = Basket.objects.get(pk=first.reservation.basket_id)
    second = claim(item, "u:1", quantity=2, basket=basket)
    assert first.granted and second.granted

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, Basket.objects.get(pk=basket.pk))

    assert "At most 2 units of this item per order" in str(refused.value.message)
    assert not Order.objects.exists()
    assert Reservation.objects.filter(item=item, status=Reservation.RESERVED).count() == 2
    assert SaleItem.objects.get(pk=item.pk).units_held == 50


def test_a_line_lowered_below_its_reservation_orders_only_its_units_and_leaks_none(
        official_store, channel_ngn, live_sale, hot_listing):
    """Claim 3, lower the basket line to 1, order: the order takes 1 unit from the sale's hold;
    the 2 not ordered stay held and go back to the listing when the sale ends (never allocated
    to nothing for good)."""
    item = make_item(live_sale, hot_listing, per_shopper=3)
    answer = claim(item, "u:1", quantity=3)
    assert answer.granted
    basket = Basket.objects.get(pk=answer.reservation.basket_id)
    line = basket.all_lines()[0]
    line.quantity = 1
    line.save()

    order = place(channel_ngn, Basket.objects.get(pk=basket.pk)).order

    assert sum(line.quantity for line in order.lines.all()) == 1
    assert SaleItem.objects.get(pk=item.pk).units_held == 49
    Sale.objects.filter(pk=live_sale.pk).update(ends_at=timezone.now() - timedelta(seconds=1),
                                                  starts_at=timezone.now() - timedelta(hours=1))
    reservations_sweep()
    hot_listing.refresh_from_db()
    assert SaleItem.objects.get(pk=item.pk).units_held == 0
    assert hot_listing.num_allocated == 1  # the order's unit, and nothing held by nothing

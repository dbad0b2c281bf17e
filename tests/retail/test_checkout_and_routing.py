"""Checkout with a partner shop's basket: what is offered per zone and area, what is
refused at placement, and the order routed to the shop."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.order import statuses
from marketplace.order.exceptions import CheckoutError
from marketplace.partner.models import StockRecord
from marketplace.retail.models import RetailOrder, Zone
from marketplace.retail.services import policy
from marketplace.shipping.repository import Repository
from tests import factories
from tests.checkout.builders import address

from .builders import place_with_shop, shop_basket

pytestmark = pytest.mark.django_db


def set_zone(channel, status, *, city="Lagos", district="", starts_at=None, **kwargs):
    return Zone.objects.create(
        channel=channel, city=city, district=district, status=status,
        starts_at=starts_at or timezone.now() - datetime.timedelta(minutes=1), **kwargs,
    )


def always_orange(channel, **kwargs):
    return set_zone(channel, "orange", delivery_from=datetime.time(0, 0),
                    delivery_until=datetime.time(23, 59, 59), **kwargs)


def offered(basket, city="Lagos", district=""):
    shipping = address(basket.channel, city=city)
    shipping.line3 = district
    return [m.code for m in Repository().get_shipping_methods(basket, shipping_addr=shipping)]


def test_the_marketplace_catalogue_never_shows_a_shop_listing(shop_phone, channel_ngn):
    from marketplace.partner.selectors import live_listings
    from marketplace.partner.strategy import Selector

    assert not live_listings(channel_ngn).filter(pk=shop_phone.pk).exists()
    info = Selector().strategy(channel=channel_ngn).fetch_for_product(shop_phone.product)
    assert info.stockrecord is None  # the product page cannot pick it
    handed = Selector().strategy(channel=channel_ngn).fetch_for_product(shop_phone.product, shop_phone)
    assert handed.availability.is_available_to_buy  # the shop's page hands it in


def test_green_offers_delivery_and_pickup_and_the_order_goes_to_the_shop(
    shop_phone, lagos_shop, channel_ngn, mailoutbox, django_capture_on_commit_callbacks,
):
    basket = shop_basket(channel_ngn, shop_phone)
    pk = lagos_shop.pk
    assert offered(basket) == [f"shop-delivery-{pk}", f"shop-pickup-{pk}"]

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_with_shop(channel_ngn, basket, lagos_shop)
    after = timezone.now()

    retail = RetailOrder.objects.get(order=placed.order)
    assert retail.retailer == lagos_shop and retail.status == RetailOrder.NEW
    assert retail.handover == "delivery" and not retail.contactless
    assert len(retail.delivery_code) == 6 and retail.delivery_code.isdigit()
    # The shop has the channel's 30 minutes from placement: bounds from clocks read
    # around the placement, however long it took (no tolerance to run out of).
    answer_within = datetime.timedelta(minutes=policy(channel_ngn).answer_within_minutes)
    assert answer_within == datetime.timedelta(minutes=30)
    assert before + answer_within <= retail.answer_by <= after + answer_within
    assert placed.order.status == statuses.PENDING
    assert StockRecord.objects.get(pk=shop_phone.pk).num_allocated == 1
    # The shopper gets the code by e-mail (the task runs eagerly after commit).
    assert any(retail.delivery_code in m.body for m in mailoutbox)


def test_a_marketplace_order_is_not_routed(channel_ngn, third_party_seller):
    from tests.checkout.builders import basket_with, place

    phone = factories.product("Hot 40")
    factories.listing(phone, third_party_seller, channel_ngn, "90000.00")
    placed = place(channel_ngn, basket_with(channel_ngn, (phone, 1)))
    assert not RetailOrder.objects.filter(order=placed.order).exists()


def test_orange_offers_only_contactless_delivery_in_hours(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    always_orange(channel_ngn)
    assert offered(basket) == [f"shop-delivery-{lagos_shop.pk}-contactless", f"shop-pickup-{lagos_shop.pk}"]
    placed = place_with_shop(channel_ngn, basket, lagos_shop, contactless=True)
    assert RetailOrder.objects.get(order=placed.order).contactless


def test_orange_outside_its_hours_is_pickup_only(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    now = timezone.localtime(timezone.now(), channel_ngn.tzinfo)
    # A delivery window that is not now: an hour, two hours from now (or before, late at night).
    start = (now + datetime.timedelta(hours=1)).time().replace(microsecond=0)
    end = (now + datetime.timedelta(hours=2)).time().replace(microsecond=0)
    if end <= start:
        start, end = (now - datetime.timedelta(hours=2)).time(), (now - datetime.timedelta(hours=1)).time()
    set_zone(channel_ngn, "orange", delivery_from=start, delivery_until=end)
    assert offered(basket) == [f"shop-pickup-{lagos_shop.pk}"]
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop, contactless=True)
    assert not RetailOrder.objects.exists()


def test_red_refuses_delivery_and_allows_pickup_only_if_set(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    red = set_zone(channel_ngn, "red", shop_pickup_allowed=True)
    assert offered(basket) == [f"shop-pickup-{lagos_shop.pk}"]
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop)

    red.shop_pickup_allowed = False
    red.save()
    assert offered(basket) == []
    with pytest.raises(CheckoutError) as error:
        place_with_shop(channel_ngn, basket, lagos_shop, handover="pickup")
    assert "pickup" in str(error.value.message).lower()
    assert not StockRecord.objects.get(pk=shop_phone.pk).num_allocated
    assert not RetailOrder.objects.exists()


def test_a_status_changes_at_its_moment_and_is_rechecked_at_placement(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    zone = set_zone(channel_ngn, "red", starts_at=timezone.now() + datetime.timedelta(hours=1))
    assert f"shop-delivery-{lagos_shop.pk}" in offered(basket)  # not yet in force
    # The delivery method was chosen; the zone turns red before the order is placed.
    zone.starts_at = timezone.now() - datetime.timedelta(seconds=1)
    zone.save()
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop)


def test_a_district_status_overrides_the_city(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    set_zone(channel_ngn, "red")
    set_zone(channel_ngn, "green", district="Ikeja")
    assert f"shop-delivery-{lagos_shop.pk}" in offered(basket, district="Ikeja")
    assert f"shop-delivery-{lagos_shop.pk}" not in offered(basket, district="Yaba")


def test_an_address_outside_the_delivery_area_is_refused(shop_phone, lagos_shop, channel_ngn):
    basket = shop_basket(channel_ngn, shop_phone)
    assert offered(basket, city="Ibadan") == [f"shop-pickup-{lagos_shop.pk}"]  # 112 km away
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop, city="Ibadan")
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop, city="Atlantis")


def test_pay_on_delivery_only_within_the_shops_limit(shop_phone, lagos_shop, channel_ngn):
    lagos_shop.cash_on_delivery_limit = Decimal("50000")
    lagos_shop.save()
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone), lagos_shop)
    assert not StockRecord.objects.get(pk=shop_phone.pk).num_allocated


def test_a_mixed_basket_or_another_shops_method_is_refused(shop_phone, lagos_shop, channel_ngn, third_party_seller):
    from tests.retail.conftest import make_shop

    other = make_shop(channel_ngn, "Yaba Mobile", offset=(0.01, 0.01))
    basket = shop_basket(channel_ngn, shop_phone)
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, other)  # a tampered shop in the method

    phone = factories.product("Hot 40")
    factories.listing(phone, third_party_seller, channel_ngn, "90000.00")
    from marketplace.partner.strategy import Selector

    basket.strategy = Selector().strategy(channel=channel_ngn)
    basket.add_product(phone, 1)
    assert offered(basket) == []
    with pytest.raises(CheckoutError):
        place_with_shop(channel_ngn, basket, lagos_shop)
    assert not RetailOrder.objects.exists()

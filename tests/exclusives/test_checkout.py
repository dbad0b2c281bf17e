"""Order placement re-checks exclusivity inside the order transaction."""

import pytest

from marketplace.basket.models import Basket
from marketplace.order.models import Order
from marketplace.order.services import CheckoutError
from marketplace.partner.models import StockRecord
from marketplace.partner.strategy import Selector
from marketplace.stores.offers import ChosenListing
from tests.checkout.builders import place

from .conftest import make_rule

pytestmark = pytest.mark.django_db


def basket_with_listing(channel, listing, quantity=1):
    basket = Basket.objects.create(channel=channel)
    basket.strategy = ChosenListing(Selector().strategy(channel=channel), listing)
    basket.add_product(listing.product, quantity)
    return basket


def test_an_order_from_the_excluded_seller_is_refused_with_the_reason(family, channel_ngn, official_store):
    basket = basket_with_listing(channel_ngn, family.other_listing)
    make_rule(family.parent, official_store, [channel_ngn])

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, basket)

    assert "sold only by Xiaomi Official Store in Nigeria" in str(refused.value.message)
    assert not Order.objects.exists()
    assert StockRecord.objects.get(pk=family.other_listing.pk).num_allocated in (None, 0)


def test_the_in_transaction_check_catches_a_rule_the_first_check_missed(family, channel_ngn, official_store, monkeypatch):
    basket = basket_with_listing(channel_ngn, family.other_listing)
    from marketplace.order import services, stock

    real_allocate = stock.allocate

    def allocate_then_rule_appears(quantities, **kwargs):
        real_allocate(quantities, **kwargs)
        make_rule(family.parent, official_store, [channel_ngn])

    monkeypatch.setattr(services.stock, "allocate", allocate_then_rule_appears)

    with pytest.raises(CheckoutError):
        place(channel_ngn, basket)

    assert not Order.objects.exists()
    assert StockRecord.objects.get(pk=family.other_listing.pk).num_allocated in (None, 0)


def test_the_exclusive_store_still_sells(family, channel_ngn, exclusive):
    basket = basket_with_listing(channel_ngn, family.official_listing)

    placed = place(channel_ngn, basket)

    assert placed.created and placed.order.lines.get().stockrecord == family.official_listing

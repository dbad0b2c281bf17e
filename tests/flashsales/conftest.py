"""Flash-sale fixtures: a live sale of one hot item, on either claims path."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.basket.models import Basket
from marketplace.flashsales import admission, counts, holds, selectors
from marketplace.flashsales.models import Sale, SaleItem
from marketplace.flashsales.selectors import item_card
from marketplace.partner.strategy import Selector
from tests import factories


def make_sale(*, seller, channels, starts_in=timedelta(minutes=-5), lasts=timedelta(hours=2),
              status=Sale.APPROVED, minutes=10):
    sale = Sale.objects.create(
        name="Mi Fan Festival", seller=seller, starts_at=timezone.now() + starts_in,
        ends_at=timezone.now() + starts_in + lasts, status=status, reservation_minutes=minutes,
    )
    sale.channels.set(channels)
    return sale


def make_item(sale, listing, *, price="50000", units=50, per_shopper=1, per_order=None):
    item = SaleItem.objects.create(
        sale=sale, listing=listing, sale_price=Decimal(price), units=units,
        per_shopper_limit=per_shopper, per_order_limit=per_order,
    )
    if sale.status == Sale.APPROVED:  # as approval does: the units leave regular stock
        holds.item_hold(item=item)
    return item


def claim(item, shopper, quantity=1, basket=None):
    """Claim as the view does: the card from the cache, a basket of the item's channel."""
    card = item_card(item.pk)
    channel = item.listing.channel
    basket = basket or Basket(channel=channel)
    price = Selector().strategy(channel=channel).price_for(card.sale_price)
    return admission.claim(card=card, shopper=shopper, quantity=quantity, basket=basket, price=price)


@pytest.fixture
def steady_caches(monkeypatch):
    """The per-process cards and the units-left snapshots kept a minute instead of a second.

    On a site they are refreshed every second; a query-count test that warms them with
    one request and counts the next measured a different page whenever a second passed
    in between (a loaded CI machine): a snapshot gone costs one query per item.
    """
    real_remember = selectors.remember_units_left

    def remember_a_minute(item_id, left):
        real_remember(item_id, left)
        selectors.cache.touch(selectors._LEFT_KEY.format(id=item_id), 60)

    monkeypatch.setattr(selectors, "_LOCAL_SECONDS", 60.0)
    for module in (selectors, counts, admission):
        monkeypatch.setattr(module, "remember_units_left", remember_a_minute)


@pytest.fixture(params=["redis", "database"])
def claims_path(request, settings):
    if request.param == "redis" and not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    settings.FLASHSALES_CLAIMS = request.param
    return request.param


@pytest.fixture
def hot_listing(official_store, channel_ngn):
    return factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "60000", stock=100)


@pytest.fixture
def live_sale(official_store, channel_ngn):
    return make_sale(seller=official_store, channels=[channel_ngn])


@pytest.fixture
def hot_item(live_sale, hot_listing):
    return make_item(live_sale, hot_listing)

"""``MESSAGING_REPLY_RATE``: one number gets so many messages taken (answered, turned into
order requests) per period; past it one polite reply in its language, no order, then
silence until the period turns. Counted on the shared cache, on the database when the
cache is down."""

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

from marketplace.messaging.models import InboundMessage, SandboxMessage
from marketplace.retail.models import OrderRequest
from marketplace.throttling import ratelimit
from tests import factories
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)

from .conftest import make_shop
from .test_by_message import replies, texting  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SHOPPER = "+2348051234567"


@pytest.fixture
def clock(monkeypatch):
    moment = [1_900_000_800.0]  # 20 minutes into an hour
    monkeypatch.setattr(ratelimit, "now", lambda: moment[0])
    return moment


def _send(texting, sku, times, **kwargs):  # noqa: F811
    return [texting(f"ORDER {sku} 1", **kwargs).status_code for _ in range(times)]


def test_the_sixth_message_in_an_hour_gets_a_polite_reply_and_no_order(texting, lagos_shop, shop_phone, clock):  # noqa: F811
    assert _send(texting, shop_phone.partner_sku, 5) == [200] * 5
    assert OrderRequest.objects.count() == 5 and len(replies()) == 5
    assert _send(texting, shop_phone.partner_sku, 3) == [200] * 3
    assert OrderRequest.objects.count() == 5  # no order past the rate
    assert InboundMessage.objects.count() == 8  # each message is kept, and once
    # One polite reply (each reply costs a text), then silence.
    [(_to, polite)] = replies()[5:]
    assert "Ikeja Phones many messages" in polite and "wait a while" in polite
    # Another number is not affected.
    assert _send(texting, shop_phone.partner_sku, 1, sender="08059999999") == [200]
    assert OrderRequest.objects.count() == 6
    # The next hour, the number is taken again.
    clock[0] += 3600
    _send(texting, shop_phone.partner_sku, 1)
    assert OrderRequest.objects.filter(phone=SHOPPER).count() == 6


def test_the_rate_is_a_setting(texting, lagos_shop, shop_phone, settings, clock):  # noqa: F811
    settings.MESSAGING_REPLY_RATE = "2/h"
    _send(texting, shop_phone.partner_sku, 3)
    assert OrderRequest.objects.count() == 2
    assert "many messages" in replies()[-1][1]


def test_the_database_counts_when_the_cache_is_down(texting, lagos_shop, shop_phone, monkeypatch, clock):  # noqa: F811
    cache = caches["default"]

    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    assert _send(texting, shop_phone.partner_sku, 7) == [200] * 7
    assert OrderRequest.objects.count() == 5
    assert SandboxMessage.objects.filter(text__contains="many messages").count() == 1
    assert SandboxMessage.objects.count() == 6


def test_the_polite_reply_is_in_the_shoppers_language(texting, channel_xof, clock):  # noqa: F811
    shop = make_shop(channel_xof, "Cocody Mobiles", city="Abidjan", phone="+2250701020304",
                     districts=())
    listing = factories.listing(factories.product("Redmi 13"), shop.partner, channel_xof, "95000", stock=3)
    for _ in range(6):
        texting(f"COMMANDE {listing.partner_sku} 1", to="+2250701020304", sender="0707070707")
    assert OrderRequest.objects.count() == 5
    polite = replies()[-1][1]
    assert "Cocody Mobiles" in polite and "beaucoup de messages" in polite

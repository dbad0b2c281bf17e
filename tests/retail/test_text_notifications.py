"""Text messages about a shop's order (issue 12, item 5 / the session's item 2): the shopper
at each step and the shop on a new order, through the messaging interface's sandbox, in the
channel's language, once per event however often the task runs."""

import pytest

from marketplace.messaging.models import OutboundMessage, SandboxMessage
from marketplace.retail import services
from marketplace.retail.models import RetailOrder
from marketplace.retail.tasks import notify_shopper
from tests import factories
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)

from .builders import place_with_shop, shop_basket
from .conftest import make_shop

pytestmark = pytest.mark.django_db

SHOPPER = "+2348031234567"  # the checkout builders' Nigerian number


def texts_to(number):
    return list(SandboxMessage.objects.filter(to=number).order_by("pk").values_list("text", flat=True))


def test_the_shopper_and_the_shop_are_texted_at_each_step(
    shop_phone, channel_ngn, django_capture_on_commit_callbacks,
):
    shop = make_shop(channel_ngn, "Yaba Mobile", phone="+2348071234567", whatsapp="+2348091234567",
                     district="Yaba", slug="yaba-mobile")
    listing = factories.listing(shop_phone.product, shop.partner, channel_ngn, "100000.00", stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_with_shop(channel_ngn, shop_basket(channel_ngn, listing), shop)
    retail = RetailOrder.objects.get(order=placed.order)
    [placed_text] = texts_to(SHOPPER)
    assert placed.order.number in placed_text and retail.delivery_code in placed_text
    assert "/ng/" in placed_text  # the link to follow the order
    # The shop hears of it on WhatsApp (it has a number there), with the time to answer by.
    to_shop = OutboundMessage.objects.get(to="+2348091234567")
    assert to_shop.medium == "whatsapp" and placed.order.number in to_shop.text
    assert "₦107,500.00" in to_shop.text and "Accept or decline" in to_shop.text

    with django_capture_on_commit_callbacks(execute=True):
        services.retail_order_accept(retail)
    with django_capture_on_commit_callbacks(execute=True):
        services.retail_order_out_for_delivery(retail)
    with django_capture_on_commit_callbacks(execute=True):
        services.retail_order_deliver(retail, retail.delivery_code)
    shopper_texts = texts_to(SHOPPER)
    assert len(shopper_texts) == 4
    assert "accepted your order" in shopper_texts[1]
    assert "on its way" in shopper_texts[2] and "is delivered" in shopper_texts[3]
    # A task run again (a worker retried) texts nobody twice.
    notify_shopper.delay(retail.pk, "accepted")
    assert len(texts_to(SHOPPER)) == 4


def test_a_declined_order_is_texted_in_the_channels_language(channel_xof, django_capture_on_commit_callbacks):
    shop = make_shop(channel_xof, "Cocody Mobiles", city="Abidjan", phone="+2250707080910",
                     districts=())
    listing = factories.listing(factories.product("Redmi 13"), shop.partner, channel_xof, "95000", stock=3)
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_with_shop(channel_xof, shop_basket(channel_xof, listing), shop, city="Abidjan")
    shop_text = OutboundMessage.objects.get(to="+2250707080910").text
    assert "Nouvelle commande" in shop_text and "F\u202fCFA" in shop_text
    with django_capture_on_commit_callbacks(execute=True):
        services.retail_order_decline(RetailOrder.objects.get(order=placed.order))
    declined = OutboundMessage.objects.get(key__endswith=":declined:shopper")
    assert declined.language == "fr" and "annulée" in declined.text


def test_a_landline_gets_no_text_and_nothing_breaks(shop_phone, lagos_shop, channel_ngn,
                                                    django_capture_on_commit_callbacks, mailoutbox):
    lagos_shop.phone = "+23412345678"  # a Lagos landline
    lagos_shop.save()
    with django_capture_on_commit_callbacks(execute=True):
        place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone), lagos_shop)
    assert not OutboundMessage.objects.filter(to="+23412345678").exists()
    assert len(mailoutbox) >= 1  # the e-mail still went

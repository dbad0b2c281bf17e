"""The shopper is written to about a shop's order in the language they ordered in
(``RetailOrder.language``), not the channel's default; the shop in its channel's."""

import pytest
from django.utils import translation

from marketplace.channels.context import storefront
from marketplace.messaging.models import OutboundMessage
from marketplace.retail import services
from marketplace.retail.models import RetailOrder
from tests import factories
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)

from .builders import place_with_shop, shop_basket
from .conftest import make_shop

pytestmark = pytest.mark.django_db

SHOP_WHATSAPP = "+254722000111"


@pytest.fixture
def nairobi_shop(channel_kes):
    shop = make_shop(channel_kes, "Westlands Simu", city="Nairobi", districts=(),
                     phone="+254712345678", whatsapp=SHOP_WHATSAPP)
    listing = factories.listing(factories.product("Spark 20"), shop.partner, channel_kes, "15000", stock=5)
    return shop, listing


def _place(channel, shop, listing, language, capture):
    with capture(execute=True), storefront(channel, language):
        return place_with_shop(channel, shop_basket(channel, listing), shop, city="Nairobi")


def test_a_shopper_ordering_in_swahili_is_texted_and_mailed_in_swahili(
    nairobi_shop, channel_kes, django_capture_on_commit_callbacks, mailoutbox,
):
    shop, listing = nairobi_shop
    placed = _place(channel_kes, shop, listing, "sw", django_capture_on_commit_callbacks)
    retail = RetailOrder.objects.get(order=placed.order)
    assert retail.language == "sw"
    shopper = OutboundMessage.objects.get(key__endswith=":placed:shopper")
    assert shopper.language == "sw" and "limetumwa kwa" in shopper.text
    assert "/ke/sw/" in shopper.text  # the link to the order page in their language
    [mail] = [m for m in mailoutbox if placed.order.number in m.subject and "limetumwa kwa" in m.body]
    assert mail.subject.startswith("Agizo lako")
    # The shop is told in its channel's language.
    to_shop = OutboundMessage.objects.get(to=SHOP_WHATSAPP)
    assert to_shop.language == "en" and to_shop.text.startswith("New order")
    # Later steps too, though the shop answers from an English back office.
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.retail_order_accept(retail)
    accepted = OutboundMessage.objects.get(key__endswith=":accepted:shopper")
    assert accepted.language == "sw" and "imekubali agizo lako" in accepted.text
    assert "imekubali agizo lako" in mailoutbox[-1].body


def test_ordering_in_the_default_language_stays_in_it(
    nairobi_shop, channel_kes, django_capture_on_commit_callbacks,
):
    shop, listing = nairobi_shop
    placed = _place(channel_kes, shop, listing, "en", django_capture_on_commit_callbacks)
    assert RetailOrder.objects.get(order=placed.order).language == "en"
    shopper = OutboundMessage.objects.get(key__endswith=":placed:shopper")
    assert shopper.language == "en" and "went to Westlands Simu" in shopper.text


def test_an_order_kept_from_before_the_language_was_kept_is_told_in_the_default(
    nairobi_shop, channel_kes, django_capture_on_commit_callbacks,
):
    shop, listing = nairobi_shop
    placed = _place(channel_kes, shop, listing, "en", django_capture_on_commit_callbacks)
    retail = RetailOrder.objects.get(order=placed.order)
    RetailOrder.objects.filter(pk=retail.pk).update(language="")
    with django_capture_on_commit_callbacks(execute=True), translation.override("sw"):
        services.retail_order_decline(retail)
    declined = OutboundMessage.objects.get(key__endswith=":declined:shopper")
    assert declined.language == "en" and "could not take your order" in declined.text

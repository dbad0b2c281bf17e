"""A shopper who orders through a shop's own page keeps that shop for the visit until they
leave it: the basket refuses another seller's item with a 409 page offering to leave
(``basket.hooks`` and ``retail.keeping``)."""

import re

import pytest
from django.test import Client

from tests import factories

from .conftest import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def marketplace_item(channel_ngn):
    seller = factories.seller("Konga Hub", channels=[channel_ngn])
    return factories.listing(factories.product("Infinix Hot 40"), seller, channel_ngn, "90000.00")


def lines(client):
    basket = client.get("/ng/basket/").context["basket"]
    return [line.stockrecord_id for line in basket.all_lines()]


def add_from_shop(client, slug, listing):
    return client.post(f"/ng/r/{slug}/add/", {"listing": listing.pk, "quantity": 1})


def add(client, listing):
    return client.post(f"/ng/basket/add/{listing.product_id}/", {"quantity": 1})


def test_the_kept_shop_refuses_another_sellers_item_until_the_shopper_leaves_it(
    client, lagos_shop, shop_phone, marketplace_item,
):
    assert client.get("/ng/r/ikeja-phones/").status_code == 200
    assert add_from_shop(client, "ikeja-phones", shop_phone).status_code == 302

    refused = add(client, marketplace_item)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "You are shopping at Ikeja Phones" in page and "Leave Ikeja Phones" in page
    assert 'action="/ng/r/ikeja-phones/leave/"' in page
    assert lines(client) == [shop_phone.pk]  # nothing added

    # Emptying the basket is not leaving: the shop is kept until the shopper says so.
    basket = client.get("/ng/basket/").context["basket"]
    basket.lines.all().delete()
    assert add(client, marketplace_item).status_code == 409
    assert lines(client) == []

    # Leaving (the 409 page's button) goes back to the item, which now goes in.
    product_url = re.search(r'name="next" value="([^"]+)"', page).group(1)
    assert product_url.startswith("/ng/") and "infinix-hot-40" in product_url
    left = client.post("/ng/r/ikeja-phones/leave/", {"next": product_url})
    assert left.status_code == 302 and left["Location"] == product_url
    assert add(client, marketplace_item).status_code == 302
    assert lines(client) == [marketplace_item.pk]


def test_another_shop_is_refused_with_the_offer_to_leave_the_kept_one(
    client, lagos_shop, shop_phone, channel_ngn,
):
    other = make_shop(channel_ngn, "Yaba Mobile", phone="+2348071234567", offset=(0.05, 0.0))
    other_listing = factories.listing(shop_phone.product, other.partner, channel_ngn, "99000.00")
    assert add_from_shop(client, "ikeja-phones", shop_phone).status_code == 302
    refused = add_from_shop(client, "yaba-mobile", other_listing)
    assert refused.status_code == 409 and "Leave Ikeja Phones" in refused.content.decode()
    assert lines(client) == [shop_phone.pk]
    # An unsafe "next" after leaving goes home, not to another site.
    left = client.post("/ng/r/ikeja-phones/leave/", {"next": "https://evil.example/"})
    assert left.status_code == 302 and "evil" not in left["Location"]
    assert add_from_shop(client, "yaba-mobile", other_listing).status_code == 302
    assert lines(client) == [other_listing.pk]


def test_a_visit_that_keeps_no_shop_adds_anything(client, lagos_shop, shop_phone, marketplace_item):
    client.get("/ng/r/ikeja-phones/")  # looking at a shop's page keeps nothing yet
    assert add(client, marketplace_item).status_code == 302
    assert lines(client) == [marketplace_item.pk]


def test_a_shop_closed_meanwhile_is_kept_no_more(client, lagos_shop, shop_phone, marketplace_item):
    assert add_from_shop(client, "ikeja-phones", shop_phone).status_code == 302
    lagos_shop.is_active = False
    lagos_shop.save()
    assert add(client, marketplace_item).status_code == 302


def test_the_refusal_page_is_translated():
    from django.utils import translation

    english = ("You are shopping at %(shop)s: your basket takes only its items until you "
               "leave the shop.")
    for language, expected in (("fr", "Quitter"), ("ar", "مغادرة"), ("sw", "Ondoka")):
        with translation.override(language):
            assert expected in translation.gettext("Leave %(shop)s")
            assert translation.gettext(english) != english

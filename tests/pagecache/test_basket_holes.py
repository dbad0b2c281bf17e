"""
The basket holes are kept per basket and per version of what they show: rendered once per
change, every change on the very next request, and never another shopper's basket.
"""

import re

import pytest
from django.db import transaction
from django.test import Client

from marketplace.basket.models import Line
from marketplace.pagecache import holes

from .admin_forms import admin_change
from .conftest import fill
from .test_holes import shopper  # noqa: F401  (fixture)
from .test_invalidation import LISTING, html

pytestmark = pytest.mark.django_db

# The shopper's NG basket: the phone (150,000 + VAT = 161,250) and a case (5,375).
TOTAL = "166,625"


def basket_total(page):
    """The total the mini basket shows (pages may show the same figure elsewhere)."""
    found = re.search(r'<details class="basket-mini">.*?<span class="total">₦([\d,]+)', page, re.S)
    assert found, "no mini basket"
    return found.group(1).removesuffix(",")


@pytest.fixture
def hole_renders(monkeypatch):
    """Names of the holes rendered from their templates (not taken from the cache)."""
    rendered = []
    real = holes._render

    def spy(name, request):
        rendered.append(name)
        return real(name, request)

    monkeypatch.setattr(holes, "_render", spy)
    return rendered


def test_the_basket_holes_are_rendered_once_for_every_page(shop, shopper, hole_renders):  # noqa: F811
    urls = [shop.category_url("ng"), shop.product_url("ng"), "/ng/"]
    fill(shopper, urls)
    hole_renders.clear()

    for url in urls:
        assert TOTAL in html(shopper, url)

    assert "mini_basket" not in hole_renders and "nav_basket" not in hole_renders


def test_a_basket_hole_no_page_shows_is_never_rendered(shop, shopper, hole_renders):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    hole_renders.clear()

    assert TOTAL in html(shopper, shop.category_url("ng"))
    assert TOTAL in html(shopper, shop.product_url("ng"))

    assert hole_renders.count("mini_basket") == 1 and "nav_basket" not in hole_renders


def _add_the_phone_again(shop, shopper):  # noqa: F811
    assert shopper.post(f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1}).status_code == 302
    shopper.get(shop.category_url("ng"))  # the message, shown once


def _remove_the_case(shop, shopper):  # noqa: F811
    Line.objects.exclude(product=shop.phone).get().delete()


def _quantity_in_a_transaction(shop, shopper):  # noqa: F811
    with transaction.atomic():
        line = Line.objects.get(product=shop.phone)
        line.quantity = 2
        line.save()


def _price_in_the_admin(shop, shopper):  # noqa: F811
    admin = Client()
    from django.contrib.auth import get_user_model

    admin.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    admin_change(admin, LISTING.format(pk=shop.listings["ng"].pk), price="125000.00")


def _off_sale_in_the_admin(shop, shopper):  # noqa: F811
    admin = Client()
    from django.contrib.auth import get_user_model

    admin.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    admin_change(admin, LISTING.format(pk=shop.listings["ng"].pk), is_live="")


# change -> (basket total after it, before it)
CHANGES = {
    "the same product added again": (_add_the_phone_again, "327,875", TOTAL),
    "a line removed": (_remove_the_case, "161,250", TOTAL),
    "a quantity changed in a transaction": (_quantity_in_a_transaction, "327,875", TOTAL),
    "the listing's price changed in the admin": (_price_in_the_admin, "139,750", TOTAL),
    # The case alone, without tax: with a line that cannot be bought the basket's tax is unknown.
    "the listing taken off sale in the admin": (_off_sale_in_the_admin, "5,000", TOTAL),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_change_to_the_basket_or_what_it_shows_is_on_the_next_page(
    shop, shopper, hole_renders, change  # noqa: F811
):
    make, shown, gone = CHANGES[change]
    url = shop.category_url("ng")  # (the product page shows the other seller's 166,625)
    fill(shopper, [url, "/ng/"])
    assert basket_total(html(shopper, "/ng/")) == gone

    make(shop, shopper)

    for page_url in ("/ng/", url):
        assert basket_total(html(shopper, page_url)) == shown, page_url


def test_a_renamed_product_in_the_basket_is_renamed_in_the_holes(shop, shopper):  # noqa: F811
    # The home page does not show the case but through the basket holes.
    url = "/ng/"
    fill(shopper, [url])
    case = Line.objects.exclude(product=shop.phone).get().product
    case.title = "Redmi Note 13 leather case"
    case.save()

    assert "Redmi Note 13 leather case" in html(shopper, url)


def test_no_shopper_ever_sees_another_shoppers_basket(shop, shopper, client, django_user_model, hole_renders):  # noqa: F811
    other = Client()
    other.force_login(django_user_model.objects.create_user("bola", "bola@example.com", "pw"))
    for _ in range(2):
        assert other.post(f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1}).status_code == 302
    guest = Client()
    case = Line.objects.exclude(product=shop.phone).get().product
    for _ in range(3):
        assert guest.post(f"/ng/basket/add/{case.pk}/", {"quantity": 1}).status_code == 302
    url = shop.category_url("ng")
    for visitor in (other, guest, client):
        visitor.get(url)  # the messages, shown once

    for _visit in ("rendered", "from the cache"):
        hole_renders.clear()
        assert basket_total(html(shopper, url)) == TOTAL
        assert basket_total(html(other, url)) == "322,500"  # two phones
        assert basket_total(html(guest, url)) == "16,125"  # three cases
        page = html(client, url)
        assert "Your basket is empty." in page and '<span class="total">' not in page
    assert "mini_basket" not in hole_renders


def test_a_basket_in_another_channel_has_holes_of_its_own(shop, shopper):  # noqa: F811
    fill(shopper, [shop.category_url("ng"), shop.category_url("gh")])
    page = html(shopper, shop.category_url("gh"))
    assert "Your basket is empty." in page and TOTAL not in page

"""What differs per shopper is filled per request: never cached into anyone else's page."""

import re

import pytest
from django.test import Client

from tests import factories

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(django_user_model, shop):
    """A signed-in shopper with two items in the NG basket: the phone and a case."""
    case = factories.product("Redmi Note 13 case", category=shop.phones)
    factories.listing(case, shop.store, shop.listings["ng"].channel, "5000.00")
    user = django_user_model.objects.create_user("ada", "ada@example.com", "pw")
    client = Client()
    client.force_login(user)
    for product in (shop.phone, case):
        response = client.post(f"/ng/basket/add/{product.pk}/", {"quantity": 1})
        assert response.status_code == 302
    client.get(shop.product_url("ng"))  # the "added to your basket" message, shown once
    return client


def text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("signed_in_first", [True, False])
def test_each_shopper_sees_their_own_basket_and_account_in_the_same_cached_page(
    shop, client, shopper, renders, signed_in_first
):
    url = shop.category_url("ng")
    renders.clear()
    first, second = (shopper, client) if signed_in_first else (client, shopper)
    pages = {id(first): text(first.get(url)), id(second): text(second.get(url))}

    assert renders == [url]  # rendered once, for both
    theirs, anonymous = pages[id(shopper)], pages[id(client)]
    assert "Logout" in theirs and "Login or register" not in theirs
    assert "166,625" in theirs  # the phone (161,250) and the case (5,375) in their mini basket
    assert "Your basket is empty." not in theirs
    assert "Login or register" in anonymous and "Logout" not in anonymous
    assert "Your basket is empty." in anonymous and "166,625" not in anonymous


def test_the_csrf_token_in_a_cached_page_is_each_visitors_own_and_works(shop, renders):
    url = shop.product_url("ng")
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        page = text(visitor.get(url))
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        assert len(found) == 1 and "pagecache" not in next(iter(found))
        tokens.append(found.pop())
    assert renders == [url]
    assert tokens[0] != tokens[1]

    response = visitors[1].post(
        f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1, "csrfmiddlewaretoken": tokens[1]}
    )
    assert response.status_code == 302  # accepted: the token is this visitor's


def test_the_message_after_adding_to_the_basket_shows_on_the_cached_page_once(shop, client, renders):
    url = shop.product_url("ng")
    fill(client, [url])
    other = Client()
    fill(other, [url])
    renders.clear()

    client.post(f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1})

    page = text(client.get(url))
    assert renders == []  # the cached page, with this shopper's message in it
    assert "has been added to your basket" in page
    assert "has been added to your basket" not in text(client.get(url))  # shown once
    assert "has been added to your basket" not in text(other.get(url))


def test_the_header_basket_button_is_the_shoppers_own(shop, client, shopper):
    url = shop.category_url("ng")
    theirs, anonymous = text(shopper.get(url)), text(client.get(url))
    button = re.compile(r'<details class="basket-mini">.*?</summary>', re.S)
    assert "166,625" in button.search(theirs).group(0)
    assert "166,625" not in button.search(anonymous).group(0)

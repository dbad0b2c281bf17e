"""Baskets per channel, and bad input that must be a clear 4xx changing nothing."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.basket.models import Basket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(official_store, channel_ngn, channel_kes, phones):
    item = factories.product("Tecno Spark 20", category=phones)
    factories.listing(item, official_store, channel_ngn, "139534.88", stock=5)
    factories.listing(item, official_store, channel_kes, "15431.03", stock=5)
    return item


def add(client, code, product, quantity):
    return client.post(f"/{code}/basket/add/{product.pk}/", {"quantity": quantity})


def basket_lines(client, code):
    return client.get(f"/{code}/basket/").context["basket"].all_lines()


def test_adding_puts_the_channels_listing_in_the_channels_basket(client, phone, channel_ngn):
    response = add(client, "ng", phone, 2)

    assert response.status_code == 302
    (line,) = basket_lines(client, "ng")
    assert line.quantity == 2
    assert line.stockrecord.channel == channel_ngn
    assert line.price_currency == "NGN"
    assert line.basket.channel == channel_ngn


def test_each_country_has_its_own_basket(client, phone):
    add(client, "ng", phone, 1)
    add(client, "ke", phone, 3)

    ng, ke = basket_lines(client, "ng"), basket_lines(client, "ke")

    assert [(line.quantity, line.price_currency) for line in ng] == [(1, "NGN")]
    assert [(line.quantity, line.price_currency) for line in ke] == [(3, "KES")]
    assert client.get("/gh/basket/").context["basket"].is_empty


def test_a_signed_in_shopper_keeps_one_basket_per_country(client, phone, channel_ngn, channel_kes):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    client.force_login(user)

    add(client, "ng", phone, 1)
    add(client, "ke", phone, 1)
    add(client, "ng", phone, 1)

    baskets = Basket.open.filter(owner=user).order_by("channel__position")
    assert [(b.channel, b.currency, b.num_items) for b in baskets] == [
        (channel_ngn, "NGN", 2),
        (channel_kes, "KES", 1),
    ]


def test_basket_page_shows_the_tax_included(client, phone):
    add(client, "ng", phone, 1)

    content = client.get("/ng/basket/").content.decode()

    assert "₦150,000.00" in content  # 139,534.88 + 7.5% VAT
    assert "Tax included (VAT 7.5%)" in content
    assert "₦10,465.12" in content


def test_ghana_basket_names_its_three_tax_components(client, official_store, channel_ghs):
    item = factories.product("Redmi A3")
    factories.listing(item, official_store, channel_ghs, "1150.00", stock=5)
    add(client, "gh", item, 1)

    content = client.get("/gh/basket/").content.decode()

    assert "GH₵1,380.00" in content
    assert "Tax included (GETFund 2.5% · NHIL 2.5% · VAT 15%)" in content
    assert "GH₵230.00" in content


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-3", "Ensure this value is greater than or equal to 1."),
        ("abc", "Enter a whole number."),
        ("", "This field is required."),
        ("6", "a maximum of 5 can be bought"),
    ],
)
def test_a_bad_quantity_is_a_400_with_the_reason_and_adds_nothing(client, phone, quantity, message):
    response = add(client, "ng", phone, quantity)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not basket_lines(client, "ng")


def test_the_bad_quantity_message_is_translated(client, official_store, channel_xof):
    item = factories.product("Redmi A3")
    factories.listing(item, official_store, channel_xof, "50000", stock=5)

    response = add(client, "ci", item, "abc")

    assert response.status_code == 400
    assert "Saisissez un nombre entier." in response.content.decode()


def test_adding_a_product_the_channel_does_not_sell_is_refused(client, official_store, channel_ngn, launch_channels):
    only_ng = factories.product("Lagos Only")
    factories.listing(only_ng, official_store, channel_ngn, "100", stock=5)

    response = add(client, "gh", only_ng, 1)

    assert response.status_code == 400
    assert not basket_lines(client, "gh")


def test_adding_an_unknown_product_is_a_404(client, launch_channels):
    assert client.post("/ng/basket/add/999999/", {"quantity": 1}).status_code == 404


def test_add_to_basket_only_accepts_post(client, phone):
    assert client.get(f"/ng/basket/add/{phone.pk}/").status_code == 405


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1.5"])
def test_a_bad_page_number_is_a_404_with_a_message(client, phone, page):
    response = client.get(f"/ng/catalogue/?page={page}")

    assert response.status_code == 404
    assert f"There is no page “{page}” here." in response.content.decode()


def test_an_unknown_product_is_a_404(client, launch_channels):
    assert client.get("/ng/catalogue/nothing_999999/").status_code == 404


def test_an_unknown_category_is_a_404(client, launch_channels):
    assert client.get("/ng/catalogue/category/nothing_999999/").status_code == 404


def test_an_absurdly_long_search_is_cut_not_an_error(client, phone):
    assert client.get("/ng/search/", {"q": "x" * 5000}).status_code == 200

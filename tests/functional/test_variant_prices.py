"""A parent product's page shows the price of what its button adds, in each channel."""

import re
from decimal import Decimal

import pytest

from marketplace.basket.models import Basket
from marketplace.channels.money import format_money
from tests import factories

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d+)"([^>]*)>([^<]*)</option>')


@pytest.fixture
def spark(official_store, channel_ngn, channel_xof):
    """Tecno Spark 20: the dearer variant comes first, and the order of price differs by channel."""
    family = factories.product("Tecno Spark 20", structure="parent")
    big = factories.product("Spark 20 8GB+256GB", parent=family)
    small = factories.product("Spark 20 8GB+128GB", parent=family)
    # NG: 256 GB ₦246,500 incl. VAT, 128 GB ₦215,500; CI: the 256 GB is the cheaper one.
    factories.listing(big, official_store, channel_ngn, "229302.33")
    factories.listing(small, official_store, channel_ngn, "200465.12")
    factories.listing(big, official_store, channel_xof, "76271")
    factories.listing(small, official_store, channel_xof, "84746")
    return {"family": family, "big": big, "small": small}


def product_page(client, code, product):
    response = client.get(f"/{code}/catalogue/{product.slug}_{product.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def shown_price(content):
    return re.search(r'<p class="price_color"[^>]*>([^<]+)</p>', content).group(1)


def variant_options(content):
    select = re.search(r'<select name="child_id".*?</select>', content, re.S).group(0)
    return [
        {"pk": int(pk), "selected": " selected" in attrs, "label": label, "attrs": attrs}
        for pk, attrs, label in OPTION.findall(select)
    ]


def add_selected(client, code, family, content):
    (selected,) = [option for option in variant_options(content) if option["selected"]]
    response = client.post(f"/{code}/basket/add/{family.pk}/", {"quantity": 1, "child_id": selected["pk"]})
    assert response.status_code == 302
    return client.get(f"/{code}/basket/").context["basket"]


@pytest.mark.parametrize(
    ("code", "cheapest", "price", "other_price"),
    [
        ("ng", "small", "₦215,500.00", "₦246,500.00"),
        ("ci", "big", format_money(90000, "XOF", "fr", "CI"), format_money(100000, "XOF", "fr", "CI")),
    ],
)
def test_the_cheapest_variant_is_selected_and_its_price_shown(client, spark, code, cheapest, price, other_price):
    content = product_page(client, code, spark["family"])

    options = variant_options(content)
    (selected,) = [option for option in options if option["selected"]]
    assert selected["pk"] == spark[cheapest].pk
    assert shown_price(content) == price
    # Without JavaScript the shopper still reads every variant's price.
    assert sorted(price in option["label"] or other_price in option["label"] for option in options) == [True, True]
    assert price in selected["label"] and f'data-price="{price}"' in selected["attrs"]


@pytest.mark.parametrize(("code", "total"), [("ng", Decimal("215500.00")), ("ci", Decimal("90000"))])
def test_the_basket_gets_the_price_the_page_showed(client, spark, code, total):
    content = product_page(client, code, spark["family"])

    basket = add_selected(client, code, spark["family"], content)

    assert basket.total_incl_tax == total
    assert basket.total_incl_tax == Basket.objects.get(pk=basket.pk).lines.get().price_incl_tax


def test_a_variant_that_cannot_be_bought_is_not_selected_first(client, spark, channel_ngn):
    spark["small"].stockrecords.filter(channel=channel_ngn).update(num_in_stock=0)

    content = product_page(client, "ng", spark["family"])

    (selected,) = [option for option in variant_options(content) if option["selected"]]
    assert selected["pk"] == spark["big"].pk
    assert shown_price(content) == "₦246,500.00"


def test_the_price_follows_the_choice_through_a_static_script(client, spark):
    content = product_page(client, "ng", spark["family"])

    assert "marketplace/js/variants.js" in content
    assert 'data-variant-select' in content and "data-variant-price" in content
    for option in variant_options(content):
        assert "data-price=" in option["attrs"] and "data-tax-note=" in option["attrs"]

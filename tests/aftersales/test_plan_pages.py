"""Plans on the product page, the add-to-basket step, the basket and the confirmation."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.aftersales.models import BasketWarranty
from marketplace.basket.models import Basket, Line
from tests import factories
from tests.checkout.test_checkout_flow import checkout_to_preview

from .conftest import plan

pytestmark = pytest.mark.django_db


def product_url(listing, code="ng"):
    return f"/{code}/catalogue/{listing.product.slug}_{listing.product.pk}/"


def offered(content):
    return dict(re.findall(r'name="plan" value="(\d+)">\s*<input type="hidden" name="price" value="([^"]+)"',
                           content))


def test_the_product_page_offers_the_plans_priced_as_the_button_charges(client, phone_ng, plan_ng):
    content = client.get(product_url(phone_ng)).content.decode()

    assert "1-year extended warranty" in content
    assert "₦16,125.00" in content  # 10 % of ₦150,000 + 7.5 % VAT
    assert offered(content) == {str(plan_ng.pk): "16125.00"}


def test_a_product_no_plan_covers_says_nothing_about_plans(client, charger_ng, plan_ng):
    content = client.get(product_url(charger_ng)).content.decode()

    assert "warranty-plans" not in content


def test_plans_cost_no_query_on_a_page_they_do_not_cover(client, charger_ng, phone_ng, plan_ng, settings):
    settings.PAGECACHE_ENABLED = False
    client.get(product_url(charger_ng))
    client.get(product_url(phone_ng))
    with CaptureQueriesContext(connection) as without_plans:
        client.get(product_url(charger_ng))
    with CaptureQueriesContext(connection) as with_plans:
        client.get(product_url(phone_ng))

    assert len(with_plans) == len(without_plans) + 1  # the plans themselves, once
    assert len(with_plans) <= 10


def test_a_new_plan_shows_on_the_cached_product_page(client, phone_ng, channel_ngn, phones):
    assert "warranty-plans" not in client.get(product_url(phone_ng)).content.decode()

    plan(channel_ngn, categories=[phones], name="2-year cover", months=24)

    assert "2-year cover" in client.get(product_url(phone_ng)).content.decode()


def test_adding_with_a_plan_puts_both_lines_in_the_basket(client, phone_ng, plan_ng):
    response = client.post(f"/ng/warranty/add/{phone_ng.product.pk}/",
                           {"quantity": 1, "plan": plan_ng.pk, "price": "16125.00"})

    assert response.status_code == 302 and response["Location"] == "/ng/basket/"
    product_line, warranty = Line.objects.order_by("pk")
    assert warranty.parent_line == product_line and warranty.price_incl_tax == Decimal("16125.00")
    assert BasketWarranty.objects.get().plan == plan_ng


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("1.00", "price of this warranty has changed"),  # tampered
        ("NaN", "plain number"),
        ("sNaN", "plain number"),
        ("1E+999999", "plain number"),
        ("١٦١٢٥", "plain number"),
        ("16125\x00", "not allowed (NUL)"),  # refused by the middleware
        ("9" * 40, "at most 32 characters"),
    ],
)
def test_a_tampered_or_malformed_plan_price_is_a_400_and_adds_nothing(client, phone_ng, plan_ng, price, message):
    response = client.post(f"/ng/warranty/add/{phone_ng.product.pk}/",
                           {"quantity": 1, "plan": plan_ng.pk, "price": price})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Line.objects.exists() and not Basket.objects.exists()


def test_a_plan_for_a_product_it_does_not_cover_is_a_400(client, charger_ng, plan_ng):
    response = client.post(f"/ng/warranty/add/{charger_ng.product.pk}/",
                           {"quantity": 1, "plan": plan_ng.pk, "price": "500.00"})

    assert response.status_code == 400
    assert "does not cover this product" in response.content.decode()
    assert not Line.objects.exists()


def test_a_plan_of_another_country_is_a_400(client, phone_ng, channel_kes, phones):
    kenyan = plan(channel_kes, categories=[phones])

    response = client.post(f"/ng/warranty/add/{phone_ng.product.pk}/",
                           {"quantity": 1, "plan": kenyan.pk, "price": "16125.00"})

    assert response.status_code == 400
    assert "not offered in this country" in response.content.decode()
    assert not Line.objects.exists()


def test_the_refusal_is_translated(client, official_store, channel_xof, phones):
    listing = factories.listing(factories.product("Tecno Camon", category=phones), official_store,
                                channel_xof, "99995")
    ivorian = plan(channel_xof, categories=[phones], amount="7.5")

    response = client.post(f"/ci/warranty/add/{listing.product.pk}/",
                           {"quantity": 1, "plan": ivorian.pk, "price": "1"})

    assert response.status_code == 400
    assert "Le prix de cette garantie a changé" in response.content.decode()


def test_xof_plans_are_priced_in_whole_francs(client, official_store, channel_xof, phones):
    listing = factories.listing(factories.product("Tecno Camon", category=phones), official_store,
                                channel_xof, "99995")
    ivorian = plan(channel_xof, categories=[phones], amount="7.5")

    content = client.get(product_url(listing, "ci")).content.decode()

    # 7.5 % of 99,995 = 7,499.625 → 7,500 F; + 18 % VAT = 1,350 → 8,850 F CFA.
    assert offered(content) == {str(ivorian.pk): "8850"}
    assert client.post(f"/ci/warranty/add/{listing.product.pk}/",
                       {"quantity": 1, "plan": ivorian.pk, "price": "8850"}).status_code == 302


def test_the_basket_offers_plans_for_a_line_and_adds_one(client, phone_ng, plan_ng):
    client.post(f"/ng/basket/add/{phone_ng.product.pk}/", {"quantity": 2})
    line = Line.objects.get()

    content = client.get("/ng/basket/").content.decode()
    assert f'action="/ng/warranty/line/{line.pk}/"' in content
    response = client.post(f"/ng/warranty/line/{line.pk}/", {"plan": plan_ng.pk, "price": "16125.00"})

    assert response.status_code == 302
    warranty = Line.objects.get(parent_line=line)
    assert warranty.quantity == 2
    content = client.get("/ng/basket/").content.decode()
    assert "1-year extended warranty for Redmi Note 13" in content
    assert f'action="/ng/warranty/line/{line.pk}/"' not in content  # covered: no more offers


def test_another_shoppers_basket_line_is_a_404(client, phone_ng, plan_ng, channel_ngn):
    from tests.checkout.builders import basket_with

    foreign = basket_with(channel_ngn, (phone_ng.product, 1)).all_lines()[0]
    client.post(f"/ng/basket/add/{phone_ng.product.pk}/", {"quantity": 1})

    response = client.post(f"/ng/warranty/line/{foreign.pk}/", {"plan": plan_ng.pk, "price": "16125.00"})

    assert response.status_code == 404
    assert not Line.objects.filter(parent_line__isnull=False).exists()


def test_the_confirmation_shows_the_plan_line(client, phone_ng, plan_ng):
    from tests.checkout.builders import home_delivery, pay_on_delivery

    home_delivery(phone_ng.channel)
    pay_on_delivery(phone_ng.channel)
    client.post(f"/ng/warranty/add/{phone_ng.product.pk}/",
                {"quantity": 1, "plan": plan_ng.pk, "price": "16125.00"})
    fields = checkout_to_preview(client, "ng", phone_ng)
    assert client.post("/ng/checkout/preview/", fields).status_code == 302

    content = client.get("/ng/checkout/thank-you/").content.decode()

    assert "1-year extended warranty for Redmi Note 13" in content


@pytest.mark.parametrize("code", ["ci", "eg", "ma"])
def test_the_plans_button_adds_in_french_and_arabic_channels(client, official_store, launch_channels, phones, code):
    """The button's hidden price is written as the add reads it (not "16125,00" in French):
    the press adds the product with its plan in every channel's language."""
    from marketplace.stores.models import ProductBrand

    channel = launch_channels[code]
    product = factories.product("Redmi Note 13", category=phones)
    ProductBrand.objects.create(product=product, brand=official_store.brand)
    listing = factories.listing(product, official_store, channel, "150000", stock=10)
    covering = plan(channel, categories=[phones])
    content = client.get(product_url(listing, code)).content.decode()
    price = offered(content)[str(covering.pk)]
    assert re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", price), price  # no "16125,00", no Arabic digits

    response = client.post(f"/{code}/warranty/add/{product.pk}/", {"quantity": "1", "plan": covering.pk,
                                                                  "price": price})

    assert response.status_code == 302, response.content.decode()[-600:]
    assert BasketWarranty.objects.filter(plan=covering).count() == 1


@pytest.mark.parametrize("code", ["ci", "eg", "ma"])
def test_the_baskets_plan_buttons_add_in_french_and_arabic_channels(client, official_store, launch_channels,
                                                                    phones, code):
    """The basket's offer for a line (``basket_line_plans.html``) writes its price as the add reads
    it too: "16125,00" in French or Arabic digits were refused as "Enter the price as a plain number"."""
    from marketplace.stores.models import ProductBrand

    channel = launch_channels[code]
    product = factories.product("Redmi Note 13", category=phones)
    ProductBrand.objects.create(product=product, brand=official_store.brand)
    factories.listing(product, official_store, channel, "150000", stock=10)
    covering = plan(channel, categories=[phones])
    client.post(f"/{code}/basket/add/{product.pk}/", {"quantity": 1})
    line = Line.objects.get()

    content = client.get(f"/{code}/basket/").content.decode()
    assert f'action="/{code}/warranty/line/{line.pk}/"' in content
    price = offered(content)[str(covering.pk)]
    assert re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", price), price
    response = client.post(f"/{code}/warranty/line/{line.pk}/", {"plan": covering.pk, "price": price})

    assert response.status_code == 302, response.content.decode()[-600:]
    assert Line.objects.filter(parent_line=line).count() == 1

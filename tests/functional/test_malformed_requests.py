"""
Requests a hostile tester sent that used to be 500s: each is now a 4xx with a
translated reason, and writes nothing.
"""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.apps.address.models import Country, UserAddress

from marketplace.channels import money
from marketplace.order.models import Order
from marketplace.payments.models import Method, PaymentNotification, PaymentOption
from marketplace.payments.providers.base import sign
from tests import factories
from tests.checkout.builders import PHONES, home_delivery, pay_on_delivery
from tests.checkout.test_checkout_flow import checkout_to_preview

pytestmark = pytest.mark.django_db

SECRET = "test-sandbox-secret"


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.PAYMENT_PROVIDERS = {
        "sandbox": {
            "CLASS": "marketplace.payments.providers.sandbox.SandboxProvider",
            "SECRET": SECRET,
        },
    }


@pytest.fixture
def shop_ng(official_store, channel_ngn):
    listing = factories.listing(
        factories.product("Redmi Note 13"), official_store, channel_ngn, "120837.21", stock=10
    )
    home_delivery(channel_ngn, "2325.58", free_above="50000")
    pay_on_delivery(channel_ngn, cap=Decimal("200000"))
    return listing


# Money input --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "150000", "150000.00", "  12.5 ", "0.000001"])
def test_parse_amount_reads_plain_decimals(value):
    assert money.parse_amount(value) == Decimal(value.strip())


@pytest.mark.parametrize("value", [
    "", " ", "abc", "NaN", "nan", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e3",
    "1E+999999", "-1", "+1", "1,000", "١٢", "²", "1\x00", "1" * 40, "0x10", "1.", ".5",
    None, 1.5,
])
def test_parse_amount_refuses_anything_but_a_finite_plain_decimal(value):
    with pytest.raises(money.InvalidAmount):
        money.parse_amount(value)


@pytest.mark.parametrize("total", ["sNaN", "-sNaN", "NaN", "Infinity", "1e999999", "x" * 10_000, "٣"])
def test_a_malformed_expected_total_is_a_400_and_places_nothing(client, shop_ng, total):
    fields = checkout_to_preview(client, "ng", shop_ng)

    response = client.post("/ng/checkout/preview/", {**fields, "expected_total": total})

    assert response.status_code == 400
    assert "Your order total is missing or malformed." in response.content.decode()
    assert not Order.objects.exists()


def test_the_malformed_total_message_is_translated(client, official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi A3"), official_store, channel_xof, "50000")
    home_delivery(channel_xof, "1000")
    pay_on_delivery(channel_xof)
    start = client.post(f"/ci/basket/add/{listing.product.pk}/", {"quantity": 1})
    assert start.status_code == 302
    client.post("/ci/checkout/", {"username": "ada@example.com", "options": "anonymous"})
    client.post("/ci/checkout/shipping-address/", {
        "first_name": "Ada", "last_name": "Kone", "line1": "Rue 12", "line4": "Abidjan",
        "country": "CI", "phone_number": PHONES["CI"],
    })
    client.get("/ci/checkout/shipping-method/")
    option = PaymentOption.objects.get(channel=channel_xof, method=Method.PAY_ON_DELIVERY)
    client.post("/ci/checkout/payment-method/", {"option": option.pk})

    response = client.post("/ci/checkout/preview/", {
        "action": "place_order", "checkout_key": "whatever", "expected_total": "sNaN",
    })

    assert response.status_code == 400
    assert not Order.objects.exists()


# Addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("address_id", ["²", "٣", "1" * 30, "9" * 18, "-1", "1.0", "x" * 10_000])
def test_a_malformed_address_id_is_a_404_not_a_500(client, shop_ng, address_id):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    UserAddress.objects.create(
        user=user, first_name="Ada", last_name="Obi", line1="12 Allen Avenue", line4="Lagos",
        country=Country.objects.get(iso_3166_1_a2="NG"), phone_number=PHONES["NG"],
    )
    client.force_login(user)
    client.post(f"/ng/basket/add/{shop_ng.product.pk}/", {"quantity": 1})

    response = client.post("/ng/checkout/shipping-address/",
                           {"address_id": address_id, "action": "ship_to"})

    assert response.status_code == 404
    assert "That address is not in your address book for this country." in response.content.decode()


# Basket formset ------------------------------------------------------------------------------


@pytest.mark.parametrize("total_forms", ["99999999", "2", "1"])
def test_a_tampered_basket_formset_without_min_num_forms_is_not_a_500(client, shop_ng, total_forms):
    client.post(f"/ng/basket/add/{shop_ng.product.pk}/", {"quantity": 2})
    basket = client.get("/ng/basket/").context["basket"]
    (line,) = basket.all_lines()

    response = client.post("/ng/basket/", {
        "form-TOTAL_FORMS": total_forms, "form-INITIAL_FORMS": "1",
        "form-0-id": line.pk, "form-0-quantity": "2", "form-0-DELETE": "on",
    })

    assert response.status_code < 500
    # The line marked for deletion is removed; nothing else is written.
    assert not client.get("/ng/basket/").context["basket"].all_lines()


def test_a_basket_formset_without_a_management_form_is_a_4xx(client, shop_ng):
    client.post(f"/ng/basket/add/{shop_ng.product.pk}/", {"quantity": 2})

    response = client.post("/ng/basket/", {"form-0-quantity": "3"})

    assert response.status_code < 500
    (line,) = client.get("/ng/basket/").context["basket"].all_lines()
    assert line.quantity == 2


# Reviews -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["reviews/", "reviews/add/", "reviews/1/", "reviews/1/vote/"])
@pytest.mark.parametrize("score", ["abc", "-1", "\x00", "9" * 20, "5"])
def test_reviews_are_switched_off(client, shop_ng, path, score):
    product = shop_ng.product
    url = f"/ng/catalogue/{product.slug}_{product.pk}/{path}"

    response = client.post(url, {"score": score, "title": "t", "body": "b", "name": "n",
                                 "email": "a@example.com"})

    # A NUL is refused before any view (RejectNulMiddleware); the rest find no page.
    assert response.status_code == (400 if "\x00" in score else 404)
    assert client.get(url).status_code == 404
    assert not product.reviews.exists()


def test_no_page_links_to_reviews(client, shop_ng):
    product = shop_ng.product
    content = client.get(f"/ng/catalogue/{product.slug}_{product.pk}/").content.decode()
    assert "/reviews/" not in content


# Admin date hierarchy --------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "date_placed__year=99999999999",
    "date_placed__year=9999",
    "date_placed__year=9999&date_placed__month=12",
    "date_placed__year=2024&date_placed__month=99999999999",
    "date_placed__year=2024&date_placed__month=2&date_placed__day=31",
    "date_placed__year=-1",
    "date_placed__year=%C2%B2",
])
def test_an_impossible_date_in_an_admin_change_list_is_not_a_500(admin_client, launch_channels, query):
    response = admin_client.get(f"/admin/order/order/?{query}")

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("url", ["/admin/payments/payment/", "/admin/backoffice/auditentry/"])
def test_every_date_hierarchy_refuses_an_overflowing_year(admin_client, launch_channels, url):
    from django.contrib import admin
    from django.urls import resolve

    model_admin = resolve(url).func.model_admin
    field = model_admin.date_hierarchy
    assert field, f"{admin.site} {url} has no date hierarchy"

    response = admin_client.get(f"{url}?{field}__year=99999999999")

    assert response.status_code == 302 and response["Location"].endswith("?e=1")


# Provider callback ----------------------------------------------------------------------------


def _callback(client, body: bytes, **headers):
    return client.post("/payments/callback/sandbox/", data=body,
                       content_type="application/json", **headers)


@pytest.mark.parametrize("signature", ["é", "\xff\xfe", "é" * 64, "ÿ" * 64, "\x00"])
def test_a_non_ascii_signature_is_refused_as_invalid(client, db, signature):
    body = json.dumps({"event_id": "e", "reference": "r", "status": "failed",
                       "amount": "1", "currency": "NGN"}).encode()

    response = _callback(client, body, HTTP_X_SANDBOX_SIGNATURE=signature)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_signature"
    assert not PaymentNotification.objects.exists()


def test_a_deeply_nested_signed_callback_is_a_400(client, db):
    body = b"[" * 5000 + b"]" * 5000
    signature = sign(SECRET.encode(), body)

    response = _callback(client, body, HTTP_X_SANDBOX_SIGNATURE=signature)

    assert response.status_code == 400
    assert response.json()["error"] == "malformed"


def test_a_deeply_nested_object_inside_a_valid_notification_is_a_400(client, db):
    nested = "{\"a\":" * 5000 + "1" + "}" * 5000
    body = ('{"event_id":"e","reference":"r","status":"failed","amount":"1",'
            f'"currency":"NGN","extra":{nested}}}').encode()

    response = _callback(client, body, HTTP_X_SANDBOX_SIGNATURE=sign(SECRET.encode(), body))

    assert response.status_code == 400
    assert response.json()["error"] == "malformed"


def test_brackets_inside_json_strings_do_not_count_as_depth(client, db):
    body = json.dumps({"event_id": "[" * 100, "reference": "{" * 60, "status": "failed",
                       "amount": "1", "currency": "NGN"}).encode()

    response = _callback(client, body, HTTP_X_SANDBOX_SIGNATURE=sign(SECRET.encode(), body))

    assert response.json()["error"] == "unknown_payment"  # parsed: only the reference is unknown


def test_a_huge_callback_body_is_a_413_before_it_is_read(client, db):
    body = b'{"pad":"' + b"x" * (2 * 1024 * 1024) + b'"}'

    response = _callback(client, body, HTTP_X_SANDBOX_SIGNATURE=sign(SECRET.encode(), body))

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


# Found by the URL walk --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/ng/accounts/alerts/confirm/%00/", "/ng/search/?q=a%00b", "/ng/catalogue/?page=%00",
])
def test_a_nul_character_in_a_url_is_a_translated_400(client, launch_channels, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "not allowed (NUL)" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_400_in_the_channels_language(client, launch_channels):
    response = client.post("/ci/checkout/preview/", {"checkout_key": "a\x00b", "action": "place_order"})
    assert response.status_code == 400
    assert "Cette requête contient un caractère interdit (NUL)." in response.content.decode()


@pytest.mark.parametrize("url", [
    "/ng/catalogue/x_" + "9" * 5000 + "/", "/ng/catalogue/category/x_" + "9" * 5000 + "/",
    "/ng/catalogue/category/x_" + "9" * 30 + "/",
])
def test_a_product_or_category_id_too_long_for_int_is_a_404(client, launch_channels, url):
    assert client.get(url).status_code == 404


def test_reordering_a_line_takes_post_only_and_a_foreign_line_is_a_404(client, shop_ng):
    from tests.payments.conftest import option, place_order

    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    order, _payment = place_order(option=option(shop_ng.channel, Method.CARD), listing=shop_ng)
    order.user = user
    order.save(update_fields=["user"])
    line = order.lines.get()
    client.force_login(user)
    url = f"/ng/accounts/orders/{order.number}/{line.pk}/"

    assert client.get(url).status_code == 405
    assert client.post(f"/ng/accounts/orders/{order.number}/{line.pk + 1000}/",
                       {"action": "reorder"}).status_code == 404
    unknown = client.post(url, {"action": "nothing"})
    assert unknown.status_code == 302 and unknown["Location"].endswith(f"/orders/{order.number}/")


@pytest.mark.parametrize("query", [
    "product=1.5", "product=[]", "product=99999999999999999999", "date_created=abc",
    "date_created=99999-99-99",
])
def test_an_admin_add_page_ignores_initial_values_its_fields_cannot_read(admin_client, shop_ng, query):
    assert admin_client.get(f"/admin/customer/productalert/add/?{query}").status_code == 200


@pytest.mark.parametrize("product", ["1.5", "[]", "9" * 20, "é"])
def test_an_admin_autocomplete_field_refuses_a_malformed_id(admin_client, shop_ng, product):
    response = admin_client.post("/admin/stores/featuredproduct/add/",
                                 {"product": product, "channel": shop_ng.channel_id})
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["product"]

"""The checkout pages through the test client: guest, signed in, bad input at every step."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from tests import factories

from .builders import PHONES, home_delivery, pay_on_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_ng(official_store, channel_ngn):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "120837.21", stock=10)
    home_delivery(channel_ngn, "2325.58", free_above="50000")
    pay_on_delivery(channel_ngn, cap=Decimal("200000"))
    return listing


ADDRESS = {
    "first_name": "Ada", "last_name": "Obi", "line1": "12 Allen Avenue", "line4": "Lagos",
    "country": "NG", "phone_number": PHONES["NG"],
}


def start_guest_checkout(client, code, listing, quantity=1, email="ada@example.com"):
    assert client.post(f"/{code}/basket/add/{listing.product.pk}/", {"quantity": quantity}).status_code == 302
    response = client.post(f"/{code}/checkout/", {"username": email, "options": "anonymous"})
    assert response.status_code == 302, response.content[:500]


def fill_address(client, code, **overrides):
    return client.post(f"/{code}/checkout/shipping-address/", {**ADDRESS, **overrides})


def choose_payment(client, code):
    response = client.get(f"/{code}/checkout/payment-method/")
    option = re.search(r'name="option" value="(\d+)"', response.content.decode()).group(1)
    return client.post(f"/{code}/checkout/payment-method/", {"option": option})


def preview_fields(client, code):
    content = client.get(f"/{code}/checkout/preview/").content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', content).group(1)
    total = re.search(r'name="expected_total" value="([^"]+)"', content).group(1)
    return {"action": "place_order", "checkout_key": key, "expected_total": total}


def checkout_to_preview(client, code, listing, quantity=1):
    start_guest_checkout(client, code, listing, quantity)
    assert fill_address(client, code).status_code == 302
    client.get(f"/{code}/checkout/shipping-method/")  # one option: chosen for the shopper
    assert choose_payment(client, code).status_code == 302
    return preview_fields(client, code)


def test_a_guest_buys_with_pay_on_delivery(client, shop_ng):
    fields = checkout_to_preview(client, "ng", shop_ng)

    response = client.post("/ng/checkout/preview/", fields)

    assert response.status_code == 302 and response["Location"] == "/ng/checkout/thank-you/"
    order = Order.objects.get()
    assert order.number.startswith("NG-") and order.currency == "NGN"
    assert order.total_incl_tax == Decimal("129900.00")  # delivery free above NGN 50,000
    thank_you = client.get("/ng/checkout/thank-you/").content.decode()
    assert order.number in thank_you and "₦129,900.00" in thank_you


def test_a_double_submission_places_one_order(client, shop_ng):
    fields = checkout_to_preview(client, "ng", shop_ng)

    first = client.post("/ng/checkout/preview/", fields)
    second = client.post("/ng/checkout/preview/", fields)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(pk=shop_ng.pk).num_allocated == 1


def test_a_tampered_total_is_a_409_and_places_nothing(client, shop_ng):
    fields = checkout_to_preview(client, "ng", shop_ng)

    response = client.post("/ng/checkout/preview/", {**fields, "expected_total": "1.00"})

    assert response.status_code == 409
    assert "Your order total has changed" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("total", ["abc", "", "1e999999"])
def test_a_malformed_total_is_a_400(client, shop_ng, total):
    fields = checkout_to_preview(client, "ng", shop_ng)

    response = client.post("/ng/checkout/preview/", {**fields, "expected_total": total})

    assert response.status_code in (400, 409)
    assert not Order.objects.exists()


def test_a_forged_checkout_key_is_a_400(client, shop_ng):
    fields = checkout_to_preview(client, "ng", shop_ng)

    response = client.post("/ng/checkout/preview/", {**fields, "checkout_key": "guess"})

    assert response.status_code == 400
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone_number", "12345", "not a valid"),
        ("phone_number", "+254712345678", "not a valid phone number for Nigeria"),
        ("country", "KE", "Select a valid choice"),
        ("line4", "", "This field is required"),
    ],
)
def test_bad_addresses_are_refused_with_a_message(client, shop_ng, field, value, message):
    start_guest_checkout(client, "ng", shop_ng)

    response = fill_address(client, "ng", **{field: value})

    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert "shipping" not in client.session.get("checkout_data", {}) or not client.session["checkout_data"]["shipping"].get("new_address_fields")


def test_the_phone_is_stored_in_e164(client, shop_ng):
    start_guest_checkout(client, "ng", shop_ng)
    fill_address(client, "ng", phone_number="0803 123 4567")
    client.get("/ng/checkout/shipping-method/")
    choose_payment(client, "ng")
    client.post("/ng/checkout/preview/", preview_fields(client, "ng"))

    assert str(Order.objects.get().shipping_address.phone_number) == "+2348031234567"


def test_a_tampered_delivery_code_is_a_400(client, shop_ng, channel_ngn):
    from marketplace.delivery.models import DeliveryOption

    DeliveryOption.objects.create(channel=channel_ngn, kind="pickup", name="Pickup", price=Decimal("900"))
    start_guest_checkout(client, "ng", shop_ng)
    fill_address(client, "ng")

    response = client.post("/ng/checkout/shipping-method/", {"method_code": "home-99999"})

    assert response.status_code == 400


def test_a_tampered_payment_option_is_a_400(client, shop_ng, channel_kes):
    foreign = pay_on_delivery(channel_kes)
    start_guest_checkout(client, "ng", shop_ng)
    fill_address(client, "ng")
    client.get("/ng/checkout/shipping-method/")

    response = client.post("/ng/checkout/payment-method/", {"option": foreign.pk})

    assert response.status_code == 400
    assert "Choose one of the payment methods offered." in response.content.decode()


def test_pay_on_delivery_is_not_offered_above_its_cap(client, shop_ng):
    start_guest_checkout(client, "ng", shop_ng, quantity=2)  # NGN 259,800 > 200,000
    fill_address(client, "ng")
    client.get("/ng/checkout/shipping-method/")

    content = client.get("/ng/checkout/payment-method/").content.decode()

    assert 'name="option"' not in content


def test_a_signed_in_shopper_sees_the_order_in_their_history(client, shop_ng):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    client.force_login(user)
    client.post(f"/ng/basket/add/{shop_ng.product.pk}/", {"quantity": 1})
    fill_address(client, "ng")
    client.get("/ng/checkout/shipping-method/")
    choose_payment(client, "ng")
    client.post("/ng/checkout/preview/", preview_fields(client, "ng"))

    order = Order.objects.get()
    assert order.user == user
    assert order.number in client.get("/ng/accounts/orders/").content.decode()
    assert client.get(f"/ng/accounts/orders/{order.number}/").status_code == 200


def test_a_guest_finds_the_order_by_number_and_email(client, shop_ng):
    client.post("/ng/checkout/preview/", checkout_to_preview(client, "ng", shop_ng))
    order = Order.objects.get()
    other = client.__class__()

    found = other.post("/ng/orders/lookup/", {"number": order.number.lower(), "email": "ADA@example.com"})
    wrong = other.post("/ng/orders/lookup/", {"number": order.number, "email": "eve@example.com"})
    malformed = other.post("/ng/orders/lookup/", {"number": "", "email": "not-an-email"})

    assert found.status_code == 302 and order.number in found["Location"]
    assert other.get(found["Location"]).status_code == 200
    assert wrong.status_code == 404 and "No order here matches" in wrong.content.decode()
    assert malformed.status_code == 400


@pytest.mark.parametrize(
    ("code", "price", "city", "expected"),
    [
        ("ci", "84746", "Abidjan", Decimal("100000")),
        ("eg", "8771.93", "Cairo", Decimal("10000.00")),
        ("ma", "1749.17", "Casablanca", Decimal("2099.00")),
        ("ke", "22405.17", "Nairobi", Decimal("25990.00")),
        ("gh", "2749.17", "Accra", Decimal("3299.00")),
    ],
)
def test_every_channel_checks_out_in_its_own_language(
    client, official_store, launch_channels, code, price, city, expected
):
    channel = launch_channels[code]
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel, price, stock=3)
    home_delivery(channel, "0")
    pay_on_delivery(channel)

    start_guest_checkout(client, code, listing)
    response = fill_address(client, code, country=str(channel.country), line4=city,
                            phone_number=PHONES[str(channel.country)])
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.get(f"/{code}/checkout/shipping-method/")
    choose_payment(client, code)
    response = client.post(f"/{code}/checkout/preview/", preview_fields(client, code))

    assert response.status_code == 302 and response["Location"] == f"/{code}/checkout/thank-you/"
    order = Order.objects.get()
    assert (order.channel, order.currency, order.total_incl_tax) == (channel, channel.currency, expected)


def test_the_address_form_suggests_the_channels_delivery_cities(client, shop_ng, channel_ngn):
    from marketplace.delivery.models import DeliveryOption, PickupStation

    DeliveryOption.objects.create(channel=channel_ngn, kind="express", name="Express", price=Decimal("5000"),
                                  cities=["Lagos", "Abuja"])
    PickupStation.objects.create(channel=channel_ngn, name="Kano Station", address="1 Zoo Road", city="Kano",
                                 opening_hours="8-18")
    start_guest_checkout(client, "ng", shop_ng)

    content = client.get("/ng/checkout/shipping-address/").content.decode()

    assert 'list="id_line4-cities"' in content
    for city in ("Abuja", "Kano", "Lagos"):
        assert f'<option value="{city}">' in content
    assert '<option value="NG" selected>Nigeria</option>' in content
    assert 'value="KE"' not in content

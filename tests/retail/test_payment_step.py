"""The payment step of a partner shop's basket offers pay on delivery only within the shop's
cash limit (issue 12, item 5): it was offered, then refused at Place order with a 409."""

from decimal import Decimal

import pytest
from django.test import Client

from marketplace.payments.models import PaymentOption
from tests.checkout.builders import pay_on_delivery
from tests.checkout.test_checkout_flow import fill_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_payment_step(lagos_shop, shop_phone, channel_ngn):
    """A guest with 2 of the shop's phones (₦215,000 with VAT), delivery by the shop chosen."""
    pod = pay_on_delivery(channel_ngn)
    card = PaymentOption.objects.create(channel=channel_ngn, method="card", provider="sandbox", position=1)
    client = Client()
    assert client.post("/ng/r/ikeja-phones/add/", {"listing": shop_phone.pk, "quantity": 2}).status_code == 302
    assert client.post("/ng/checkout/", {"username": "ada@example.com", "options": "anonymous"}).status_code == 302
    assert fill_address(client, "ng", line3="Ikeja").status_code == 302
    response = client.post("/ng/checkout/shipping-method/", {"method_code": f"shop-delivery-{lagos_shop.pk}"})
    assert response.status_code == 302, response.content[:300]
    return client, pod, card


def offered(client):
    response = client.get("/ng/checkout/payment-method/")
    assert response.status_code == 200
    return {option.pk for option in response.context["form"].options}


def test_pay_on_delivery_is_not_offered_above_the_shops_limit(at_payment_step, lagos_shop):
    client, pod, card = at_payment_step
    assert offered(client) == {pod.pk, card.pk}  # ₦215,000 within the shop's ₦500,000

    lagos_shop.cash_on_delivery_limit = Decimal("200000")
    lagos_shop.save()
    assert offered(client) == {card.pk}
    # Posted anyway (a stale page, a forged form): refused at this step, not at Place order.
    assert client.post("/ng/checkout/payment-method/", {"option": pod.pk}).status_code == 400
    assert client.post("/ng/checkout/payment-method/", {"option": card.pk}).status_code == 302


def test_a_shop_that_takes_no_cash_offers_only_online_payment(at_payment_step, lagos_shop):
    client, pod, card = at_payment_step
    lagos_shop.cash_on_delivery_limit = Decimal("0")
    lagos_shop.save()
    assert offered(client) == {card.pk}

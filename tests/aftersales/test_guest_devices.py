"""Guests register their devices: the order's number with its e-mail or phone is the proof."""

import pytest
from django.test import Client

from marketplace.aftersales.models import Device

from .conftest import bought_warranty

pytestmark = pytest.mark.django_db

IMEI = "490154203237518"


@pytest.fixture
def guest_warranty(channel_ngn, phone_ng, plan_ng):
    return bought_warranty(channel_ngn, phone_ng, plan_ng, quantity=1)  # a guest's order (guest@example.com)


def prove(client, order, **proof):
    return client.post("/ng/warranty/guest/", {"number": order.number, **proof})


def register(client, order, warranty, imei=IMEI):
    return client.post(f"/ng/warranty/guest/{order.number}/", {"warranty": warranty.pk, "imei": imei})


@pytest.mark.parametrize("proof", [{"email": "GUEST@example.com"}, {"phone": "0803 123 4567"},
                                   {"phone": "+234 803 123 4567"}])
def test_a_guest_proves_the_order_and_registers_the_device(client, guest_warranty, proof):
    order = guest_warranty.line.order

    response = prove(client, order, **proof)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200 and "Register this device" in page.content.decode()
    assert register(client, order, guest_warranty).status_code == 302

    device = Device.objects.get()
    assert device.warranty == guest_warranty and device.registered_by is None
    assert IMEI in client.get(response.url).content.decode()


def test_a_wrong_proof_opens_nothing_and_registers_nothing(client, guest_warranty):
    order = guest_warranty.line.order

    assert prove(client, order, email="someone@example.com").status_code == 404
    assert prove(client, order, phone="0803 000 0000").status_code == 404
    assert prove(client, order).status_code == 400  # neither e-mail nor phone
    for bad in ({"email": "not-an-email"}, {"phone": "x" * 500}, {"number": "NG-\x00"}):
        assert client.post("/ng/warranty/guest/", {"number": order.number, **bad}).status_code == 400, bad
    assert client.get(f"/ng/warranty/guest/{order.number}/").status_code == 404
    assert register(client, order, guest_warranty).status_code == 404
    assert not Device.objects.exists()


def test_a_proof_opens_that_order_only(client, channel_ngn, phone_ng, plan_ng, guest_warranty, shopper):
    order = guest_warranty.line.order
    others = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    prove(client, order, email="guest@example.com")

    # Another order's warranty posted on the proven order's page: refused, nothing written.
    response = register(client, order, others)
    assert response.status_code == 400 and "not one of yours" in response.content.decode()
    assert client.get(f"/ng/warranty/guest/{others.line.order.number}/").status_code == 404
    assert Client().get(f"/ng/warranty/guest/{order.number}/").status_code == 404  # another session
    for bad in ("x", "9" * 40, "-1", ""):
        assert client.post(f"/ng/warranty/guest/{order.number}/",
                           {"warranty": bad, "imei": IMEI}).status_code == 400
    bad_imei = register(client, order, guest_warranty, imei="490154203237519")
    assert bad_imei.status_code == 400
    assert not Device.objects.exists()


def test_a_guest_cannot_register_before_delivery(client, channel_ngn, phone_ng, plan_ng):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, delivered=False)
    order = warranty.line.order
    prove(client, order, email="guest@example.com")

    response = register(client, order, warranty)

    assert response.status_code == 400 and "once the order has been delivered" in response.content.decode()
    assert not Device.objects.exists()

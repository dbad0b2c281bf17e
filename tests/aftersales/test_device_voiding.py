"""A returned device is voided: no longer covered, not bookable, and its IMEI free for its next owner
(the IMEI constraint ignores voided rows); the units the shopper keeps stay covered."""

import pytest
from django.db import IntegrityError, transaction

from marketplace.aftersales.devices import RegistrationError, cover_lookup, device_register
from marketplace.aftersales.models import Device
from marketplace.helpdesk.returns import return_create, return_decide, return_receive
from tests.helpdesk.test_returns import product_line

from .conftest import bought_warranty, phone_ng, plan_ng, shopper  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

# ruff: noqa: F811  (the fixtures imported above are arguments of the tests)

IMEI, IMEI_2 = "490154203237518", "356938035643809"


def send_back(order, quantity, channel):
    item = return_create(order=order, line_id=product_line(order).pk, quantity=quantity, reason="Changed my mind",
                         today=channel.today(), language="en")
    return_decide(return_id=item.pk, approve=True)
    return return_receive(return_id=item.pk)


@pytest.fixture
def next_owner(django_user_model):
    return django_user_model.objects.create_user("bola", "bola@example.com", "pw-bola-2026")


def test_a_returned_phone_is_voided_and_its_imei_registered_again_by_its_next_owner(
    client, channel_ngn, phone_ng, plan_ng, shopper, next_owner,
):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    order = warranty.line.order
    device = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)
    resold = bought_warranty(channel_ngn, phone_ng, plan_ng, user=next_owner)
    with pytest.raises(RegistrationError):  # still the first shopper's
        device_register(warranty_id=resold.pk, user=next_owner, imei=IMEI)

    send_back(order, 1, channel_ngn)
    device.refresh_from_db()
    assert device.voided_at is not None
    cover = cover_lookup(channel=channel_ngn, imei=IMEI, order_number=order.number, today=channel_ngn.today())
    assert cover is not None and cover.covered is False
    client.force_login(shopper)
    page = client.get("/ng/warranty/").content.decode()
    assert "returned: no longer covered" in page and "covered from" not in page

    again = device_register(warranty_id=resold.pk, user=next_owner, imei=IMEI)
    assert again.voided_at is None
    cover = cover_lookup(channel=channel_ngn, imei=IMEI, order_number=resold.line.order.number,
                         today=channel_ngn.today())
    assert cover.device == again and cover.covered
    # Twice active, never: the database still refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.filter(pk=device.pk).update(voided_at=None)


def test_returning_one_of_two_phones_voids_one_device_the_last_registered(channel_ngn, phone_ng, plan_ng,
                                                                          shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2)
    kept = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)
    returned = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI_2)

    item = send_back(warranty.line.order, 1, channel_ngn)
    send_back_again = return_receive(return_id=item.pk)  # received twice: voids nothing more
    assert send_back_again.status == item.status
    kept.refresh_from_db()
    returned.refresh_from_db()
    assert kept.voided_at is None and returned.voided_at is not None


def test_a_voided_device_cannot_be_booked_for_repair(channel_ngn, phone_ng, plan_ng, shopper):
    from marketplace.aftersales.repairs import RepairError, booking_create
    from tests.aftersales.test_repairs import centre

    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    device = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)
    send_back(warranty.line.order, 1, channel_ngn)
    lagos = centre(channel_ngn)
    with pytest.raises(RepairError):
        booking_create(user=shopper, device_id=device.pk, centre_id=lagos.pk, fault="Screen",
                       preferred_day=channel_ngn.today(), today=channel_ngn.today(), language="en")

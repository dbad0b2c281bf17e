"""Registering devices after delivery, one per warranty unit, an IMEI once; checking cover."""

from datetime import date

import pytest
from django.db import IntegrityError

from marketplace.aftersales.devices import RegistrationError, cover_lookup, device_register
from marketplace.aftersales.models import Device
from marketplace.memberships.services import membership_grant
from marketplace.throttling import ratelimit

from .conftest import bought_warranty

# "Today" is the channel's day: no run may cross midnight there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday_in_lagos")]

IMEI, IMEI_2 = "490154203237518", "356938035643809"


def test_the_shopper_registers_each_unit_after_delivery(channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2)

    first = device_register(warranty_id=warranty.pk, user=shopper, imei="49015420-3237518")
    second = device_register(warranty_id=warranty.pk, user=shopper, serial="sn-0042")

    assert (first.unit, first.imei, second.unit, second.serial) == (1, IMEI, 2, "SN-0042")
    today = channel_ngn.today()
    assert first.delivered_on == today
    assert first.starts_on == date(today.year + 1, today.month, min(today.day, 28)) or first.starts_on.year == today.year + 1
    assert (first.ends_on - first.starts_on).days in (364, 365)  # a year, the last day included
    with pytest.raises(RegistrationError) as refused:
        device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI_2)
    assert "registered already" in str(refused.value.message)
    assert Device.objects.count() == 2


def test_an_imei_is_registered_once(channel_ngn, phone_ng, plan_ng, shopper, django_user_model):
    other = django_user_model.objects.create_user("bola", "bola@example.com", "pw")
    mine = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    theirs = bought_warranty(channel_ngn, phone_ng, plan_ng, user=other)
    device_register(warranty_id=mine.pk, user=shopper, imei=IMEI)

    with pytest.raises(RegistrationError) as refused:
        device_register(warranty_id=theirs.pk, user=other, imei=IMEI)

    assert "already registered" in str(refused.value.message)
    assert Device.objects.count() == 1


def test_the_database_refuses_a_second_registration_of_an_imei(channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2)
    device = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)

    with pytest.raises(IntegrityError):
        Device.objects.create(warranty=warranty, unit=2, imei=IMEI, delivered_on=device.delivered_on,
                              starts_on=device.starts_on, ends_on=device.ends_on)


@pytest.mark.parametrize(
    ("imei", "message"),
    [("490154203237519", "last digit does not match"), ("4901542032", "15 digits"), ("49015420323751a", "digits only")],
)
def test_a_wrong_imei_is_refused_with_the_reason(channel_ngn, phone_ng, plan_ng, shopper, imei, message):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)

    with pytest.raises(RegistrationError) as refused:
        device_register(warranty_id=warranty.pk, user=shopper, imei=imei)

    assert message in str(refused.value.message)
    assert not Device.objects.exists()


def test_another_shoppers_order_is_refused(channel_ngn, phone_ng, plan_ng, shopper, django_user_model):
    stranger = django_user_model.objects.create_user("eve", "eve@example.com", "pw")
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)

    with pytest.raises(RegistrationError) as refused:
        device_register(warranty_id=warranty.pk, user=stranger, imei=IMEI)

    assert "not one of yours" in str(refused.value.message)
    assert not Device.objects.exists()


def test_an_undelivered_order_is_refused(channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper, delivered=False)

    with pytest.raises(RegistrationError) as refused:
        device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)

    assert "delivered" in str(refused.value.message)


def test_the_seller_registers_for_a_guest(channel_ngn, phone_ng, plan_ng, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw", is_staff=True)
    membership_grant(user=clerk, seller=phone_ng.partner)
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng)  # a guest's order

    assert device_register(warranty_id=warranty.pk, user=clerk, imei=IMEI).registered_by == clerk


def test_cover_is_checked_by_imei_and_order_number(channel_ngn, channel_kes, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    device = device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)
    number = warranty.line.order.number

    assert cover_lookup(channel=channel_ngn, imei=IMEI, order_number=number.lower(),
                        today=channel_ngn.today()).covered
    assert not cover_lookup(channel=channel_ngn, imei=IMEI, order_number=number,
                            today=device.ends_on.replace(year=device.ends_on.year + 1)).covered
    assert cover_lookup(channel=channel_ngn, imei=IMEI, order_number="NG-000", today=channel_ngn.today()) is None
    assert cover_lookup(channel=channel_kes, imei=IMEI, order_number=number, today=channel_ngn.today()) is None


# Pages -------------------------------------------------------------------------------


def test_the_warranty_page_registers_a_device_and_shows_its_cover(client, channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    client.force_login(shopper)

    page = client.get("/ng/warranty/").content.decode()
    assert "1-year extended warranty for Redmi Note 13" in page
    response = client.post(f"/ng/warranty/{warranty.pk}/devices/", {"imei": IMEI})

    assert response.status_code == 302
    device = Device.objects.get()
    page = client.get("/ng/warranty/").content.decode()
    assert f"IMEI {IMEI}" in page
    assert f"{device.ends_on.day} {device.ends_on.strftime('%B')} {device.ends_on.year}" in page  # en-NG long date


def test_a_wrong_imei_on_the_page_is_a_400_in_french(client, channel_xof, official_store, phones, shopper):
    from tests import factories

    from .conftest import plan

    listing = factories.listing(factories.product("Tecno Camon", category=phones), official_store,
                                channel_xof, "99995")
    warranty = bought_warranty(channel_xof, listing, plan(channel_xof, categories=[phones]), user=shopper)
    client.force_login(shopper)

    response = client.post(f"/ci/warranty/{warranty.pk}/devices/", {"imei": "490154203237519"})

    assert response.status_code == 400
    assert "IMEI" in response.content.decode() and not Device.objects.exists()
    assert "chiffre" in response.content.decode()


def test_another_shoppers_warranty_on_the_page_is_a_400(client, channel_ngn, phone_ng, plan_ng, shopper,
                                                         django_user_model):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    client.force_login(django_user_model.objects.create_user("eve", "eve@example.com", "pw"))

    response = client.post(f"/ng/warranty/{warranty.pk}/devices/", {"imei": IMEI})

    assert response.status_code == 400 and not Device.objects.exists()


def test_a_warranty_of_another_country_is_a_404(client, channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    client.force_login(shopper)

    assert client.post(f"/ke/warranty/{warranty.pk}/devices/", {"imei": IMEI}).status_code == 404


def test_anyone_checks_cover_by_imei_and_order_number_throttled(client, channel_ngn, phone_ng, plan_ng, shopper,
                                                                monkeypatch):
    # The limiter's clock stopped just after a window starts (10 checks a quarter of an
    # hour): a quarter turning between the checks would start the count again.
    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_000 - 1_800_000_000 % 900 + 0.5)
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)
    number = warranty.line.order.number

    found = client.post("/ng/warranty/check/", {"imei": IMEI, "number": number})
    assert found.status_code == 200 and "Covered by" in found.content.decode()
    assert client.post("/ng/warranty/check/", {"imei": IMEI, "number": "NG-1"}).status_code == 404
    assert client.post("/ng/warranty/check/", {"imei": "123", "number": number}).status_code == 400
    statuses = [client.post("/ng/warranty/check/", {"imei": IMEI, "number": number}).status_code
                for _ in range(10)]
    assert statuses[-1] == 429

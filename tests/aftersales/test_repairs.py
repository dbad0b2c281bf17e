"""Booking a repair at a service centre, the centre moving it along, the shopper told of each step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from marketplace.aftersales import repair_rules as r
from marketplace.aftersales.devices import device_register
from marketplace.aftersales.models import RepairBooking, ServiceCentre
from marketplace.memberships.services import membership_grant

from .conftest import bought_warranty

pytestmark = pytest.mark.django_db

IMEI = "490154203237518"


def centre(channel, name="Ikeja Service Centre"):
    return ServiceCentre.objects.create(
        channel=channel, name=name, address="23 Obafemi Awolowo Way", city="Lagos", latitude=6.6, longitude=3.35,
        phone="+234 1 700 1001", hours="Mon–Sat 9:00–18:00", services="Repairs",
    )


@pytest.fixture
def device(channel_ngn, phone_ng, plan_ng, shopper):
    warranty = bought_warranty(channel_ngn, phone_ng, plan_ng, user=shopper)
    return device_register(warranty_id=warranty.pk, user=shopper, imei=IMEI)


@pytest.fixture
def ikeja(channel_ngn):
    return centre(channel_ngn)


@pytest.fixture
def centre_staff(ikeja, django_user_model):
    user = django_user_model.objects.create_user("ikeja.tech", "tech@example.com", "pw")
    membership_grant(user=user, service_centre=ikeja)
    staff = Client()
    staff.force_login(user)
    return staff


def book(client, device, centre_pk, day, fault="Cracked screen"):
    return client.post(f"/ng/warranty/devices/{device.pk}/repairs/",
                       {"centre": centre_pk, "fault": fault, "preferred_day": day.isoformat()})


def test_a_shopper_books_and_the_centre_moves_the_repair_along(
    client, shopper, device, ikeja, centre_staff, channel_ngn, django_capture_on_commit_callbacks
):
    client.force_login(shopper)
    with django_capture_on_commit_callbacks(execute=True):
        assert book(client, device, ikeja.pk, channel_ngn.today() + timedelta(days=2)).status_code == 302
    booking = RepairBooking.objects.get()
    assert booking.in_cover and booking.payer == r.WARRANTY and booking.status == r.REQUESTED
    assert booking.reference in client.get("/ng/warranty/").content.decode()

    listed = centre_staff.get("/admin/aftersales/repairbooking/")
    assert list(listed.context_data["cl"].queryset) == [booking]
    for status in (r.ACCEPTED, r.RECEIVED, r.DIAGNOSING, r.READY, r.COLLECTED):
        with django_capture_on_commit_callbacks(execute=True):
            response = centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                                         {"status": status, "quote": ""})
        assert response.status_code == 302, response.context_data["adminform"].form.errors
    booking.refresh_from_db()
    assert booking.status == r.COLLECTED
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 6 and all(booking.reference in s for s in subjects)
    assert "Ready to collect" in subjects[4]


def test_the_centre_cannot_skip_a_step(shopper, device, ikeja, centre_staff, channel_ngn, client):
    client.force_login(shopper)
    book(client, device, ikeja.pk, channel_ngn.today())
    booking = RepairBooking.objects.get()

    response = centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                                 {"status": r.READY, "quote": ""})

    assert response.status_code == 200 and "cannot go from" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == r.REQUESTED


def test_out_of_cover_the_shopper_accepts_the_quote_first(
    client, shopper, device, ikeja, centre_staff, channel_ngn, django_capture_on_commit_callbacks
):
    client.force_login(shopper)
    booking_day = channel_ngn.today()
    book(client, device, ikeja.pk, booking_day)
    booking = RepairBooking.objects.get()
    RepairBooking.objects.filter(pk=booking.pk).update(in_cover=False, payer=r.SHOPPER, status=r.DIAGNOSING)

    refused = centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                                {"status": r.READY, "quote": ""})
    assert refused.status_code == 200 and "accept the quote" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                          {"status": r.DIAGNOSING, "quote": "15000.00"})
    assert "₦15,000.00" in mail.outbox[-1].body
    assert "Accept the quote of ₦15,000.00" in client.get("/ng/warranty/").content.decode()
    assert client.post(f"/ng/warranty/repairs/{booking.pk}/accept-quote/").status_code == 302
    assert centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                             {"status": r.READY, "quote": "15000.00"}).status_code == 302
    booking.refresh_from_db()
    assert booking.quote_accepted and booking.quote == Decimal("15000.00") and booking.status == r.READY


def test_another_centres_staff_sees_nothing(shopper, device, ikeja, channel_ngn, client, django_user_model):
    client.force_login(shopper)
    book(client, device, ikeja.pk, channel_ngn.today())
    booking = RepairBooking.objects.get()
    other = django_user_model.objects.create_user("abuja.tech", "abuja@example.com", "pw")
    membership_grant(user=other, service_centre=centre(channel_ngn, "Abuja Service Centre"))
    staff = Client()
    staff.force_login(other)

    assert list(staff.get("/admin/aftersales/repairbooking/").context_data["cl"].queryset) == []
    assert staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                      {"status": r.ACCEPTED}).status_code in (403, 404)
    booking.refresh_from_db()
    assert booking.status == r.REQUESTED
    # A centre's staff is nobody else: no orders, no listings.
    assert staff.get("/admin/order/order/").status_code == 403


def test_bad_bookings_are_4xx_and_write_nothing(
    client, shopper, device, ikeja, channel_ngn, channel_kes, django_user_model
):
    nairobi = centre(channel_kes, "Nairobi CBD Service Centre")
    today = channel_ngn.today()
    client.force_login(shopper)

    assert book(client, device, nairobi.pk, today).status_code == 400  # a centre of another country
    assert book(client, device, ikeja.pk, today - timedelta(days=1)).status_code == 400  # the past
    assert book(client, device, ikeja.pk, today + timedelta(days=365)).status_code == 400
    assert client.post(f"/ng/warranty/devices/{device.pk}/repairs/",
                       {"centre": "NaN", "fault": "x", "preferred_day": "2026-02-30"}).status_code == 400
    client.force_login(django_user_model.objects.create_user("eve", "eve@example.com", "pw"))
    assert book(client, device, ikeja.pk, today).status_code == 400  # another shopper's device
    assert not RepairBooking.objects.exists()

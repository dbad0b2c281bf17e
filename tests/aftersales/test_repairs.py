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

# "Today" is the channel's day: no run may cross midnight there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday_in_lagos")]

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


def accept(client, booking, **fields):
    """Post the accept button as the warranties page renders it (amount and version shown)."""
    page = client.get("/ng/warranty/").content.decode()
    form = page[page.index(f"/ng/warranty/repairs/{booking.pk}/accept-quote/"):]
    shown = {name: form.split(f'name="{name}" value="', 1)[1].split('"', 1)[0] for name in ("amount", "version")}
    return client.post(f"/ng/warranty/repairs/{booking.pk}/accept-quote/", {**shown, **fields})


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
    assert accept(client, booking).status_code == 302
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


@pytest.fixture
def quoted(client, shopper, device, ikeja, centre_staff, channel_ngn):
    """A repair out of cover, diagnosed, quoted ₦15,000 by the centre; the shopper signed in."""
    client.force_login(shopper)
    book(client, device, ikeja.pk, channel_ngn.today())
    booking = RepairBooking.objects.get()
    RepairBooking.objects.filter(pk=booking.pk).update(in_cover=False, payer=r.SHOPPER, status=r.DIAGNOSING)
    assert centre_staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                             {"status": r.DIAGNOSING, "quote": "15000.00"}).status_code == 302
    return booking


def test_a_quote_changed_after_the_page_showed_it_is_not_accepted(client, centre_staff, quoted):
    page = client.get("/ng/warranty/").content.decode()
    assert 'name="amount" value="15000.00"' in page and 'name="version" value="1"' in page
    # The centre raises its quote while the shopper's page still shows ₦15,000.
    centre_staff.post(f"/admin/aftersales/repairbooking/{quoted.pk}/change/",
                      {"status": r.DIAGNOSING, "quote": "25000.00"})

    refused = client.post(f"/ng/warranty/repairs/{quoted.pk}/accept-quote/", {"amount": "15000.00", "version": "1"})

    assert refused.status_code == 409
    assert "changed its quote" in refused.content.decode()
    quoted.refresh_from_db()
    assert not quoted.quote_accepted and quoted.quote == Decimal("25000.00") and quoted.quote_version == 2
    assert accept(client, quoted).status_code == 302  # the new quote, as now shown
    quoted.refresh_from_db()
    assert quoted.quote_accepted and quoted.quote == Decimal("25000.00")


@pytest.mark.parametrize("fields", [
    {"amount": "1.00", "version": "1"},  # a tampered amount, the right version
    {"amount": "15000.00", "version": "2"},  # a version never shown
])
def test_a_quote_accepted_for_another_amount_or_version_is_refused(client, quoted, fields):
    response = client.post(f"/ng/warranty/repairs/{quoted.pk}/accept-quote/", fields)

    assert response.status_code == 409
    quoted.refresh_from_db()
    assert not quoted.quote_accepted


@pytest.mark.parametrize("fields", [
    {}, {"amount": "NaN", "version": "1"}, {"amount": "sNaN", "version": "1"}, {"amount": "1e999", "version": "1"},
    {"amount": "15000.00", "version": "9" * 40}, {"amount": "١٥٠٠٠", "version": "1"},
    {"amount": "15000\x00", "version": "1"},  # refused by the project's NUL guard, before the view
    {"amount": "15000.00", "version": "x"},
])
def test_an_unreadable_acceptance_is_a_clear_400(client, quoted, fields):
    response = client.post(f"/ng/warranty/repairs/{quoted.pk}/accept-quote/", fields)

    assert response.status_code == 400
    assert "could not be read" in response.content.decode() or "\x00" in fields["amount"]
    quoted.refresh_from_db()
    assert not quoted.quote_accepted


def test_an_xof_quote_has_no_decimals(channel_xof, official_store, phones, django_user_model):
    from django.core.exceptions import ValidationError

    from marketplace.aftersales.repairs import quote_set
    from tests import factories

    from .conftest import plan

    listing = factories.listing(factories.product("Redmi 13C", category=phones), official_store, channel_xof,
                                "90000", stock=5)
    owner = django_user_model.objects.create_user("awa", "awa@example.com", "pw")
    warranty = bought_warranty(channel_xof, listing, plan(channel_xof, categories=[phones]), user=owner)
    device = device_register(warranty_id=warranty.pk, user=owner, imei=IMEI)
    abidjan = ServiceCentre.objects.create(
        channel=channel_xof, name="Plateau", address="Avenue Chardy", city="Abidjan", latitude=5.32,
        longitude=-4.02, phone="+225 27 20 00 00", hours="Lun–Sam 9:00–18:00", services="Réparations",
    )
    booking = RepairBooking.objects.create(
        reference="CI-RTEST01", device=device, centre=abidjan, fault="Écran", preferred_day=channel_xof.today(),
        in_cover=False, payer=r.SHOPPER, status=r.DIAGNOSING, language="fr",
    )
    tech = django_user_model.objects.create_user("plateau.tech", "p@example.com", "pw")
    membership_grant(user=tech, service_centre=abidjan)
    staff = Client()
    staff.force_login(tech)

    response = staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                          {"status": r.DIAGNOSING, "quote": "15000.50"})

    assert response.status_code == 200
    assert "XOF amounts cannot have that many decimals" in response.content.decode()
    booking.refresh_from_db()
    assert booking.quote is None
    with pytest.raises(r.MoveRefused):
        quote_set(booking_id=booking.pk, amount=Decimal("15000.5"))
    booking.quote = Decimal("15000.5")
    with pytest.raises(ValidationError):
        booking.full_clean()
    booking.save()  # past every check: the model still stores a whole amount
    booking.refresh_from_db()
    assert booking.quote == Decimal("15001")
    assert staff.post(f"/admin/aftersales/repairbooking/{booking.pk}/change/",
                      {"status": r.DIAGNOSING, "quote": "15000"}).status_code == 302

"""The back office: payment options by channel, payments read-only, scoped by membership."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.memberships.services import membership_grant
from marketplace.payments.models import Payment, PaymentOption

from .conftest import place_order

PASSWORD = "payments-admin-test"


def login(client, username, **extra):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, is_staff=True,
        **extra,
    )
    client.force_login(user)
    return user


@pytest.fixture
def payments(card_ngn, pod_ngn, mpesa_kes, listing_ngn, listing_kes):
    return (place_order(option=card_ngn, listing=listing_ngn)[1],
            place_order(option=mpesa_kes, listing=listing_kes)[1])


def test_the_superuser_lists_options_with_their_cap_in_the_channel_currency(client, payments):
    login(client, "admin", is_superuser=True)
    page = client.get("/admin/payments/paymentoption/")
    assert page.status_code == 200
    assert "₦200,000.00" in page.content.decode()
    card, _mpesa = payments
    detail = client.get(f"/admin/payments/payment/{card.pk}/change/")
    assert detail.status_code == 200
    assert card.reference in detail.content.decode()


def test_payments_are_read_only_even_for_the_superuser(client, payments):
    login(client, "admin", is_superuser=True)
    card, _mpesa = payments
    assert client.get("/admin/payments/payment/add/").status_code == 403
    response = client.post(f"/admin/payments/payment/{card.pk}/change/", {"status": "succeeded"})
    assert response.status_code == 403
    card.refresh_from_db()
    assert card.status == Payment.Status.PENDING
    assert client.post(f"/admin/payments/payment/{card.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Payment.objects.filter(pk=card.pk).exists()


def test_a_country_operator_sees_only_their_channel(client, channel_ngn, payments):
    user = login(client, "ng.operator")
    membership_grant(user=user, channel=channel_ngn)
    options = client.get("/admin/payments/paymentoption/")
    assert options.status_code == 200
    assert {o.channel_id for o in options.context_data["cl"].result_list} == {channel_ngn.pk}
    listed = client.get("/admin/payments/payment/").context_data["cl"].result_list
    card, mpesa = payments
    assert [p.pk for p in listed] == [card.pk]
    assert client.get(f"/admin/payments/payment/{mpesa.pk}/change/").status_code == 404
    kenyan = PaymentOption.objects.get(method="mpesa")
    assert client.get(f"/admin/payments/paymentoption/{kenyan.pk}/change/").status_code == 404

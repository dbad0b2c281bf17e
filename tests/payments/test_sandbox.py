"""
The sandbox provider end to end through the test client: the provider page (card)
or the wait page and simulated phone (mobile money), Approve / Decline, the
callback task queued on commit, and the order paid or cancelled.
"""

import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import get_script_prefix, set_script_prefix, set_urlconf
from django.utils import translation

from marketplace.channels import context as channel_context
from marketplace.order import statuses
from marketplace.payments import services, tasks
from marketplace.payments.exceptions import AmountMismatch
from marketplace.payments.models import Payment, PaymentNotification
from marketplace.payments.providers import get_provider

from .conftest import allocated, place_order


@contextmanager
def in_channel(channel, language=None):
    """What the channel middleware sets up for a request in ``channel``."""
    language = language or channel.default_language
    previous = get_script_prefix()
    set_urlconf(settings.STOREFRONT_URLCONF)
    set_script_prefix(f"/{channel.code}/")
    try:
        with translation.override(language), channel_context.override(channel):
            yield
    finally:
        set_script_prefix(previous)
        set_urlconf(None)


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


def test_card_payment_approved_on_the_provider_page_pays_the_order(
    client, django_capture_on_commit_callbacks, channel_ngn, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    with in_channel(channel_ngn):
        url = services.payment_redirect_url(order)
    assert url == f"/ng/payments/sandbox/{payment.reference}/"

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Test Marketplace" in text
    assert "₦161,250.00" in text
    assert 'value="approve"' in text and 'value="decline"' in text

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"decision": "approve"})
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == f"/ng/payments/{payment.reference}/"
    refreshed(order, payment)
    assert payment.status == Payment.Status.SUCCEEDED
    assert order.status == statuses.PAID
    assert PaymentNotification.objects.get().event_id == f"sbx_{payment.reference}_succeeded_1"

    result = client.get(response["Location"])
    assert "your payment was received" in result.content.decode()
    assert 'id="order-confirmation-link"' in result.content.decode()
    # Back on the provider page once settled: the result, not the buttons again.
    assert client.get(url)["Location"] == f"/ng/payments/{payment.reference}/"


def test_the_callback_is_sent_only_once_the_decision_is_committed(
    client, channel_ngn, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    with mock.patch.object(tasks.sandbox_send_callback, "delay") as delay:
        client.post(f"/ng/payments/sandbox/{payment.reference}/", {"decision": "approve"})
    # The test's transaction never commits, so nothing was sent.
    delay.assert_not_called()
    refreshed(payment)
    assert payment.status == Payment.Status.PENDING


def test_the_provider_page_needs_the_csrf_token(
    django_capture_on_commit_callbacks, card_ngn, listing_ngn
):
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    client = Client(enforce_csrf_checks=True)
    url = f"/ng/payments/sandbox/{payment.reference}/"
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    refreshed(payment)
    assert payment.status == Payment.Status.SUCCEEDED


def test_card_payment_declined_cancels_the_order_and_releases_the_stock(
    client, django_capture_on_commit_callbacks, channel_xof, listing_xof
):
    from .conftest import option

    card_xof = option(channel_xof, "card")
    order, payment = place_order(option=card_xof, listing=listing_xof, quantity=2)
    assert allocated(listing_xof) == 2
    page = client.get(f"/ci/payments/sandbox/{payment.reference}/").content.decode()
    assert "300\u202f000\xa0F\u202fCFA" in page  # whole francs, as fr-CI writes them
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ci/payments/sandbox/{payment.reference}/", {"decision": "decline"})
    refreshed(order, payment)
    assert (payment.status, order.status) == (Payment.Status.FAILED, statuses.CANCELLED)
    assert allocated(listing_xof) == 0
    notification = PaymentNotification.objects.get()
    assert notification.payload["amount"] == "300000"  # no centimes in the callback either
    assert client.get(response["Location"]).status_code == 200


def test_mobile_money_waits_for_approval_on_the_phone(
    client, django_capture_on_commit_callbacks, channel_kes, mpesa_kes, listing_kes
):
    order, payment = place_order(option=mpesa_kes, listing=listing_kes)
    with in_channel(channel_kes):
        url = services.payment_redirect_url(order)
    wait_page = f"/ke/payments/{payment.reference}/"
    assert url == wait_page

    text = client.get(wait_page).content.decode()
    assert "Approve the payment on your phone" in text
    assert f'data-poll-url="/ke/payments/{payment.reference}/status/"' in text
    phone = f"/ke/payments/sandbox/{payment.reference}/phone/"
    assert f'href="{phone}"' in text
    assert client.get(f"{wait_page}status/").json() == {
        "reference": payment.reference, "status": "pending", "status_label": "Waiting for payment",
        "is_final": False,
    }

    phone_page = client.get(phone).content.decode()
    assert "Ksh23,200.00" in phone_page and "M-Pesa" in phone_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(phone, {"decision": "approve"})
    assert response["Location"] == wait_page
    data = client.get(f"{wait_page}status/").json()
    assert (data["status"], data["is_final"]) == ("succeeded", True)
    refreshed(order)
    assert order.status == statuses.PAID
    assert f'href="{phone}"' not in client.get(wait_page).content.decode()


def test_the_wait_page_speaks_the_shoppers_language(client, mpesa_kes, listing_kes):
    _order, payment = place_order(option=mpesa_kes, listing=listing_kes)
    text = client.get(f"/ke/sw/payments/{payment.reference}/").content.decode()
    assert 'lang="sw-KE"' in text
    assert "Approve the payment on your phone" not in text
    assert "Ksh\xa023,200.00" in text


def test_pay_on_delivery_has_no_redirect(channel_ngn, pod_ngn, listing_ngn):
    order, _payment = place_order(option=pod_ngn, listing=listing_ngn)
    with in_channel(channel_ngn):
        assert services.payment_redirect_url(order) is None


def test_a_payment_is_started_at_the_provider_once(channel_ngn, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    provider = get_provider("sandbox")
    with in_channel(channel_ngn), mock.patch.object(provider, "start", wraps=provider.start) as start:
        first = services.payment_redirect_url(order)
        again = services.payment_redirect_url(order)
    assert first == again
    assert start.call_count == 1


def test_payment_pages_belong_to_their_channel(client, card_ngn, mpesa_kes, listing_ngn, listing_kes):
    _order, card = place_order(option=card_ngn, listing=listing_ngn)
    _order, mpesa = place_order(option=mpesa_kes, listing=listing_kes)
    assert client.get(f"/ke/payments/{card.reference}/").status_code == 404
    assert client.get(f"/ke/payments/{card.reference}/status/").status_code == 404
    assert client.get(f"/ke/payments/sandbox/{card.reference}/").status_code == 404
    assert client.get("/ng/payments/no-such-reference/").status_code == 404
    # A card page for mobile money, or a phone for a card, does not exist.
    assert client.get(f"/ke/payments/sandbox/{mpesa.reference}/").status_code == 404
    assert client.get(f"/ng/payments/sandbox/{card.reference}/phone/").status_code == 404


def test_an_unknown_decision_is_a_bad_request(client, card_ngn, listing_ngn):
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    url = f"/ng/payments/sandbox/{payment.reference}/"
    assert client.post(url, {"decision": "steal"}).status_code == 400
    assert client.post(url).status_code == 400


def test_the_sandbox_pages_are_gone_without_the_sandbox_provider(settings, client, card_ngn, listing_ngn):
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    settings.PAYMENT_PROVIDERS = {}
    assert client.get(f"/ng/payments/sandbox/{payment.reference}/").status_code == 404


def test_the_callback_task_is_idempotent(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    for _ in range(3):
        tasks.sandbox_send_callback.delay(payment.reference, "succeeded", 1)
    refreshed(order)
    assert order.status == statuses.PAID
    assert PaymentNotification.objects.count() == 1
    assert order.status_changes.count() == 1


@pytest.fixture
def worker_like_errors():
    """Tasks handle their own failures (retry, give up) instead of raising into the test."""
    from marketplace.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def test_the_callback_task_retries_when_delivery_fails(worker_like_errors, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    real = services.payment_handle_notification
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) < 3:
            raise OperationalError("database is restarting")
        return real(**kwargs)

    with mock.patch.object(services, "payment_handle_notification", flaky):
        result = tasks.sandbox_send_callback.delay(payment.reference, "succeeded", 1)
    assert result.successful()
    assert len(calls) == 3
    assert calls[0]["body"] == calls[2]["body"]  # the same event each time
    refreshed(order)
    assert order.status == statuses.PAID


def test_the_callback_task_gives_up_after_its_retries(worker_like_errors, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    failing = mock.Mock(side_effect=OperationalError("down"))
    with mock.patch.object(services, "payment_handle_notification", failing):
        result = tasks.sandbox_send_callback.delay(payment.reference, "succeeded", 1)
    assert result.failed()
    assert failing.call_count == tasks.sandbox_send_callback.max_retries + 1
    refreshed(order)
    assert order.status == statuses.AWAITING_PAYMENT  # left to expire, stock released then


def test_a_refused_sandbox_notification_is_not_retried(card_ngn, listing_ngn):
    """A 4xx answer ends a provider's retries too: refusals never change their mind."""
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    refused = mock.Mock(side_effect=AmountMismatch("1 != 2"))
    with mock.patch.object(services, "payment_handle_notification", refused):
        result = tasks.sandbox_send_callback.delay(payment.reference, "succeeded", 1)
    assert result.successful()
    assert refused.call_count == 1

"""
On PostgreSQL: the same callback delivered at once by many workers, and a callback
racing the expiry, settle a payment exactly once.
"""

import threading

import pytest
from django.db import connection

from marketplace.order import statuses
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentNotification
from marketplace.payments.providers.base import sign

from .conftest import SECRET, allocated, callback_body, place_order

pytestmark = pytest.mark.postgres


def at_once(functions):
    """Run the functions in threads released together; their results or exceptions."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # noqa: BLE001  (reported to the test)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def deliver(body):
    headers = {"X-Sandbox-Signature": sign(SECRET.encode(), body)}
    return lambda: services.payment_handle_notification(
        provider_code="sandbox", body=body, headers=headers).status


def test_one_callback_delivered_by_ten_workers_at_once_settles_once(
    postgres, transactional_db, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    body = callback_body(payment, status="failed", event_id="evt-storm")
    results = at_once([deliver(body)] * 10)
    assert results == ["failed"] * 10
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert order.status_changes.count() == 1
    assert PaymentNotification.objects.count() == 1
    assert allocated(listing_ngn) == 0  # released once, not ten times


def test_a_success_racing_the_expiry_ends_in_one_consistent_state(
    postgres, transactional_db, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    body = callback_body(payment, event_id="evt-late")
    results = at_once([deliver(body), lambda: services.payment_expire_stale(now=payment.expires_at)])
    assert not any(isinstance(r, Exception) for r in results), results
    payment.refresh_from_db()
    order.refresh_from_db()
    expected_order = {Payment.Status.SUCCEEDED: statuses.PAID, Payment.Status.EXPIRED: statuses.CANCELLED}
    assert order.status == expected_order[payment.status]
    assert allocated(listing_ngn) == (1 if payment.status == Payment.Status.SUCCEEDED else 0)
    assert order.status_changes.count() == 1


def test_two_replays_at_once_start_the_payment_at_the_provider_once(
    postgres, transactional_db, channel_ngn, card_ngn, listing_ngn
):
    from unittest import mock

    from marketplace.payments.providers import get_provider
    from tests.locks import wait_until_blocking_someone

    from .test_sandbox import in_channel

    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    provider = type(get_provider("sandbox"))
    real_start = provider.start
    calls = []

    def slow_start(self, payment, request):
        calls.append(payment.reference)
        # The provider's API takes its time: the other replay arrives meanwhile and
        # waits for the payment's row lock (PostgreSQL shows it waiting; no sleep).
        wait_until_blocking_someone()
        return real_start(self, payment, request)

    def replay():
        with in_channel(channel_ngn):
            return services.payment_redirect_url(order)

    with mock.patch.object(provider, "start", slow_start):
        results = at_once([replay, replay])

    assert not any(isinstance(r, Exception) for r in results), results
    assert calls == [payment.reference]
    assert results[0] == results[1]
    payment.refresh_from_db()
    assert payment.redirect_url == results[0]

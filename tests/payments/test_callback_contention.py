"""
Callbacks under contention, over HTTP, on SQLite and on PostgreSQL.

A callback that cannot take the payment row now (another delivery or the
expiry sweep holds it; SQLite's "database is locked") answers 503 with
Retry-After and writes nothing; never a 500. Once the provider re-sends, the
payment is settled exactly once.
"""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from marketplace.order import statuses
from marketplace.payments.models import Payment, PaymentNotification

from .conftest import allocated, callback_body, place_order, post_callback


def _client():
    # A 500 must come back as a response to assert on, not as the view's exception.
    return Client(raise_request_exception=False)


def _post_at_once(bodies):
    """POST each body from its own thread, released together; the responses."""
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def run(index, body):
        try:
            barrier.wait()
            responses[index] = post_callback(_client(), body)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


class _RowHolder(threading.Thread):
    """Holds a write lock on the payment (row lock on PostgreSQL, table lock on SQLite)."""

    def __init__(self, payment):
        super().__init__()
        self.payment_pk = payment.pk
        self.locked = threading.Event()
        self.release = threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    Payment.objects.select_for_update().get(pk=self.payment_pk)
                else:
                    Payment.objects.filter(pk=self.payment_pk).update(provider_reference="held")
                self.locked.set()
                self.release.wait(timeout=30)
                transaction.set_rollback(True)
        finally:
            self.locked.set()
            connection.close()


def _assert_busy(response):
    assert response.status_code == 503, response.content[:300]
    assert response.json() == {"ok": False, "error": "busy"}
    assert int(response["Retry-After"]) > 0


@pytest.fixture
def quick_lock_timeout(settings):
    settings.PAYMENT_CALLBACK_LOCK_TIMEOUT_MS = 200


def _check_callback_on_a_held_row(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    body = callback_body(payment, event_id="evt-held")
    holder = _RowHolder(payment)
    holder.start()
    assert holder.locked.wait(timeout=30)
    try:
        response = post_callback(_client(), body)
    finally:
        holder.release.set()
        holder.join(timeout=30)

    _assert_busy(response)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.PENDING, statuses.AWAITING_PAYMENT)
    assert not PaymentNotification.objects.exists()

    # The provider re-sends after Retry-After: applied once.
    assert post_callback(_client(), body).status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.SUCCEEDED, statuses.PAID)
    assert PaymentNotification.objects.count() == 1
    assert allocated(listing_ngn) == 1


def _check_a_storm_of_callbacks(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    body = callback_body(payment, status="failed", event_id="evt-storm")

    responses = _post_at_once([body] * 8)

    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 503}, codes
    for response in responses:
        if response.status_code == 503:
            _assert_busy(response)
    # Every provider that was told to retry does, until it is answered 200.
    for _ in range(codes.count(503)):
        assert post_callback(_client(), body).status_code == 200
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.FAILED, statuses.CANCELLED)
    assert order.status_changes.count() == 1
    assert PaymentNotification.objects.count() == 1
    assert allocated(listing_ngn) == 0  # released once


def test_sqlite_a_callback_on_a_locked_database_is_a_503_then_applies_once(
    transactional_db, card_ngn, listing_ngn
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case; the server database has its own test below")
    _check_callback_on_a_held_row(card_ngn, listing_ngn)


def test_sqlite_concurrent_callbacks_answer_200_or_503_never_500(
    transactional_db, card_ngn, listing_ngn
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case; the server database has its own test below")
    _check_a_storm_of_callbacks(card_ngn, listing_ngn)


@pytest.mark.postgres
def test_postgres_a_callback_on_a_locked_payment_row_times_out_as_a_503_then_applies_once(
    postgres, transactional_db, quick_lock_timeout, card_ngn, listing_ngn
):
    _check_callback_on_a_held_row(card_ngn, listing_ngn)


@pytest.mark.postgres
def test_postgres_concurrent_callbacks_answer_200_or_503_never_500(
    postgres, transactional_db, quick_lock_timeout, card_ngn, listing_ngn
):
    _check_a_storm_of_callbacks(card_ngn, listing_ngn)

"""
The provider callback: signature, idempotency, amount and currency, unknown references.

Every refused notification leaves the payment, the order, the stock and the
notification log exactly as they were.
"""

import json
from decimal import Decimal

import pytest

from marketplace.order import statuses
from marketplace.order.models import Order
from marketplace.payments import services
from marketplace.payments.exceptions import InvalidSignature, MalformedNotification
from marketplace.payments.models import Payment, PaymentNotification
from marketplace.payments.providers.base import sign

from .conftest import SECRET, allocated, callback_body, place_order, post_callback


@pytest.fixture
def placed(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn, quantity=2)
    return order, payment, listing_ngn


def snapshot(order, payment, listing):
    order.refresh_from_db()
    payment.refresh_from_db()
    return (order.status, payment.status, payment.completed_at, allocated(listing),
            PaymentNotification.objects.count(), order.status_changes.count(), order.notes.count())


def test_a_signed_success_marks_the_payment_succeeded_and_the_order_paid(client, placed):
    order, payment, listing = placed
    response = post_callback(client, callback_body(payment))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "reference": payment.reference, "status": "succeeded"}
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.completed_at
    assert order.status == statuses.PAID
    assert allocated(listing) == 2  # paid orders keep their stock
    notification = PaymentNotification.objects.get()
    assert (notification.payment, notification.event_id, notification.outcome) == (
        payment, "evt-1", "applied")


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex", sign(b"another-secret", b"{}")])
def test_a_missing_or_wrong_signature_is_refused_and_changes_nothing(client, placed, signature):
    order, payment, listing = placed
    before = snapshot(order, payment, listing)
    response = post_callback(client, callback_body(payment), signature=signature)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_signature"
    assert snapshot(order, payment, listing) == before


def test_a_signature_of_another_body_is_refused(client, placed):
    order, payment, listing = placed
    genuine = callback_body(payment, status="failed")
    tampered = callback_body(payment, status="succeeded")
    before = snapshot(order, payment, listing)
    response = post_callback(client, tampered, signature=sign(SECRET.encode(), genuine))
    assert response.status_code == 400
    assert snapshot(order, payment, listing) == before


def test_the_same_callback_five_times_is_one_transition(client, placed):
    order, payment, listing = placed
    body = callback_body(payment, event_id="evt-replayed")
    responses = [post_callback(client, body) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    order.refresh_from_db()
    assert order.status == statuses.PAID
    assert PaymentNotification.objects.count() == 1
    assert list(order.status_changes.values_list("old_status", "new_status")) == [
        (statuses.AWAITING_PAYMENT, statuses.PAID)
    ]
    assert order.notes.count() == 1


def test_a_later_event_about_a_settled_payment_is_recorded_and_ignored(client, placed):
    order, payment, listing = placed
    post_callback(client, callback_body(payment, event_id="evt-1"))
    response = post_callback(client, callback_body(payment, status="failed", event_id="evt-2"))
    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.SUCCEEDED, statuses.PAID)
    assert allocated(listing) == 2
    assert dict(PaymentNotification.objects.values_list("event_id", "outcome")) == {
        "evt-1": "applied", "evt-2": "ignored"}


@pytest.mark.parametrize("amount", ["322499.99", "322500.01", "0", "32250.00", "3225000"])
def test_another_amount_is_a_conflict_and_changes_nothing(client, placed, amount):
    order, payment, listing = placed
    before = snapshot(order, payment, listing)
    response = post_callback(client, callback_body(payment, amount=amount))
    assert response.status_code == 409
    assert response.json()["error"] == "amount_mismatch"
    assert snapshot(order, payment, listing) == before


def test_the_same_amount_written_differently_is_the_same_amount(client, placed):
    order, payment, listing = placed
    response = post_callback(client, callback_body(payment, amount="322500"))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.PAID


@pytest.mark.parametrize("currency", ["USD", "KES", "XOF"])
def test_another_currency_is_a_conflict_and_changes_nothing(client, placed, currency):
    order, payment, listing = placed
    before = snapshot(order, payment, listing)
    response = post_callback(client, callback_body(payment, currency=currency))
    assert response.status_code == 409
    assert response.json()["error"] == "currency_mismatch"
    assert snapshot(order, payment, listing) == before


def test_an_unknown_reference_is_not_found(client, placed):
    order, payment, listing = placed
    before = snapshot(order, payment, listing)
    response = post_callback(client, callback_body(payment, reference="no-such-reference"))
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_payment"
    assert snapshot(order, payment, listing) == before


def test_an_unknown_provider_is_not_found(client, placed):
    order, payment, _listing = placed
    assert post_callback(client, callback_body(payment), provider="paystack").status_code == 404


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[1, 2]", b"\xff\xfe", b'{"event_id": "e"}',
    json.dumps({"event_id": "e", "reference": "r", "status": "paid", "amount": "1",
                "currency": "NGN"}).encode(),
    json.dumps({"event_id": "e", "reference": "r", "status": "succeeded", "amount": 1,
                "currency": "NGN"}).encode(),
    json.dumps({"event_id": "e", "reference": "r", "status": "succeeded", "amount": "1,5",
                "currency": "NGN"}).encode(),
    json.dumps({"event_id": "e", "reference": "r", "status": "succeeded", "amount": "NaN",
                "currency": "NGN"}).encode(),
    json.dumps({"event_id": "e", "reference": "r", "status": "succeeded", "amount": "-5",
                "currency": "NGN"}).encode(),
    json.dumps({"event_id": "e", "reference": "r", "status": "succeeded", "amount": "5",
                "currency": "naira"}).encode(),
])
def test_a_malformed_notification_is_a_bad_request(client, placed, body):
    order, payment, listing = placed
    before = snapshot(order, payment, listing)
    response = post_callback(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed"
    assert snapshot(order, payment, listing) == before


def test_the_callback_takes_only_post_and_needs_no_csrf_token(placed):
    from django.test import Client

    order, payment, _listing = placed
    client = Client(enforce_csrf_checks=True)
    assert client.get("/payments/callback/sandbox/").status_code == 405
    assert post_callback(client, callback_body(payment)).status_code == 200


def test_a_failed_payment_cancels_the_order_and_releases_its_stock(client, placed):
    order, payment, listing = placed
    assert allocated(listing) == 2
    response = post_callback(client, callback_body(payment, status="failed"))
    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert order.status == statuses.CANCELLED
    assert allocated(listing) == 0
    # Delivered again: the stock is not released twice.
    post_callback(client, callback_body(payment, status="failed"))
    assert allocated(listing) == 0


def test_the_service_raises_typed_errors(placed):
    _order, payment, _listing = placed
    body = callback_body(payment)
    with pytest.raises(InvalidSignature):
        services.payment_handle_notification(provider_code="sandbox", body=body, headers={})
    with pytest.raises(MalformedNotification):
        services.payment_handle_notification(
            provider_code="sandbox", body=b"{", headers={"x-sandbox-signature": sign(SECRET.encode(), b"{")})
    # Header names are case-insensitive, as HTTP has them.
    paid = services.payment_handle_notification(
        provider_code="sandbox", body=body, headers={"x-SANDBOX-signature": sign(SECRET.encode(), body)})
    assert paid.status == Payment.Status.SUCCEEDED
    assert Order.objects.get(pk=paid.order_id).status == statuses.PAID


def test_xof_callbacks_carry_whole_francs(client, orange_money_xof, listing_xof):
    order, payment = place_order(option=orange_money_xof, listing=listing_xof)
    payment.refresh_from_db()
    assert post_callback(client, callback_body(payment, amount="150000.5")).status_code == 409
    assert post_callback(client, callback_body(payment, amount="150000")).status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.PAID
    assert payment.amount == Decimal("150000")

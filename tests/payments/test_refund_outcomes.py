"""How a refund ends, told to the shopper once, in the order's language; a refund the provider
cannot be reached for is marked failed after the task's last retry, and shows as needing action."""

from decimal import Decimal

import pytest
from django.core import mail

from marketplace.helpdesk import return_rules as rr
from marketplace.helpdesk.models import ReturnRequest
from marketplace.payments import tasks
from marketplace.payments.models import Payment, Refund
from marketplace.payments.providers import get_provider
from marketplace.payments.providers.base import ProviderUnavailable
from marketplace.payments.refund_emails import refund_outcome_send
from marketplace.payments.refunds import refund_handle_notification, refund_request

from .conftest import listing, option, place_order

pytestmark = pytest.mark.django_db


def paid_order(channel, phone, price):
    order, payment = place_order(option=option(channel, "card"), listing=listing(channel, phone, price))
    get_provider("sandbox").deliver(payment, outcome="succeeded", attempt=1)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    return order


def returned_in(order, refund, language):
    return ReturnRequest.objects.create(reference=f"KE-T{refund.pk:06d}", order=order, line=order.lines.first(),
                                        quantity=1, reason="Broken", language=language, status=rr.RECEIVED,
                                        refund=refund)


def test_a_refund_that_went_through_is_told_once_in_the_language_of_the_return(
    channel_kes, phone, django_capture_on_commit_callbacks,
):
    order = paid_order(channel_kes, phone, "20000.00")
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_request(order=order, amount=Decimal("5000.00"), key="r1", reason="Return")
        returned_in(order, refund, "sw")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED  # the sandbox took it and called back
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ada@example.com"]
    assert order.number in sent.subject and "Ksh" in sent.subject
    assert "marejesho" in sent.subject.lower()  # Swahili, the return's language
    assert f"/ke/sw/accounts/order-status/{order.number}/" in sent.body  # a guest's order page
    # The callback sent again, the task run again: nothing more is sent.
    body, headers = get_provider("sandbox").refund_notification(refund)
    with django_capture_on_commit_callbacks(execute=True):
        refund_handle_notification(provider_code="sandbox", body=body, headers=headers)
    assert refund_outcome_send(refund_id=refund.pk) is False
    assert len(mail.outbox) == 1


def test_a_refund_the_provider_refused_is_told_as_failed(channel_ngn, phone, django_capture_on_commit_callbacks):
    order = paid_order(channel_ngn, phone, "150000.00")
    with django_capture_on_commit_callbacks(execute=False):  # the provider is asked, it never calls back
        refund = refund_request(order=order, amount=Decimal("1000.00"), key="r2", reason="Goodwill")
    provider = get_provider("sandbox")
    body, headers = provider.signed({"event_id": "evt-refund-failed", "reference": refund.reference,
                                     "status": "failed", "amount": "1000.00", "currency": "NGN"})
    with django_capture_on_commit_callbacks(execute=True):
        refund_handle_notification(provider_code="sandbox", body=body, headers=headers)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED and refund.outcome_emailed == Refund.Status.FAILED
    assert len(mail.outbox) == 1
    assert "did not go through" in mail.outbox[0].subject and "₦1,000.00" in mail.outbox[0].subject
    assert "customer service will ask for it again" in mail.outbox[0].body  # English: NG's language


def test_a_pending_refund_is_not_told(channel_ngn, phone, django_capture_on_commit_callbacks):
    order = paid_order(channel_ngn, phone, "150000.00")
    with django_capture_on_commit_callbacks(execute=False):
        refund = refund_request(order=order, amount=Decimal("1000.00"), key="r3", reason="Goodwill")
    assert refund_outcome_send(refund_id=refund.pk) is False
    assert mail.outbox == []


def test_the_task_marks_the_refund_failed_after_its_last_retry(channel_ngn, phone, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    order = paid_order(channel_ngn, phone, "150000.00")
    with django_capture_on_commit_callbacks(execute=False):
        refund = refund_request(order=order, amount=Decimal("1000.00"), key="r4", reason="Return")
    calls = []

    def unreachable(self, refund):
        calls.append(refund.pk)
        raise ProviderUnavailable("timeout")

    monkeypatch.setattr(type(get_provider("sandbox")), "refund", unreachable)
    # Run eagerly, each retry at once (a propagated Retry would stop at the first).
    conf = tasks.refund_start.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.refund_start.apply(args=[refund.pk])
    finally:
        conf.task_eager_propagates = propagates
    refund.refresh_from_db()
    assert len(calls) == 1 + tasks.REFUND_RETRIES == 9  # the first try and 8 retries
    assert refund.status == Refund.Status.FAILED and refund.completed_at is not None
    assert refund.requested_at is None
    assert len(mail.outbox) == 1 and "did not go through" in mail.outbox[0].subject


def test_a_refund_the_provider_took_is_not_given_up(channel_ngn, phone, django_capture_on_commit_callbacks):
    from marketplace.payments.refunds import refund_give_up

    order = paid_order(channel_ngn, phone, "150000.00")
    with django_capture_on_commit_callbacks(execute=False):
        refund = refund_request(order=order, amount=Decimal("1000.00"), key="r5", reason="Return")
    Refund.objects.filter(pk=refund.pk).update(requested_at=refund.created_at)
    assert refund_give_up(refund_id=refund.pk) is False
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PENDING

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


def given_up_refund(channel, phone, capture, *, key, price="150000.00", amount="1000.00"):
    """A refund the provider never answered for: it may still have taken it (a timeout after it acted)."""
    from marketplace.payments.refunds import refund_give_up

    order = paid_order(channel, phone, price)
    with capture(execute=False):
        refund = refund_request(order=order, amount=Decimal(amount), key=key, reason="Return")
    with capture(execute=True):
        assert refund_give_up(refund_id=refund.pk) is True
    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED and refund.requested_at is None
    return order, refund


def test_a_late_success_settles_a_refund_given_up_on(channel_ngn, phone, django_capture_on_commit_callbacks):
    order, refund = given_up_refund(channel_ngn, phone, django_capture_on_commit_callbacks, key="r6")
    assert "did not go through" in mail.outbox[-1].subject
    body, headers = get_provider("sandbox").refund_notification(refund)
    with django_capture_on_commit_callbacks(execute=True):
        refund_handle_notification(provider_code="sandbox", body=body, headers=headers)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert "on its way" in mail.outbox[-1].subject and len(mail.outbox) == 2


def test_a_refund_given_up_on_is_asked_again_as_itself_never_twice(
    channel_ngn, phone, django_capture_on_commit_callbacks,
):
    from marketplace.helpdesk.returns import return_refund_retry
    from marketplace.payments.exceptions import RefundRefused
    from marketplace.payments.refunds import refunded_total

    order, refund = given_up_refund(channel_ngn, phone, django_capture_on_commit_callbacks, key="r7")
    payment = Payment.objects.get(order=order)
    # The provider may have paid it: its amount is still counted, so nothing more can be refunded.
    assert refunded_total(payment) == Decimal("1000.00")
    with pytest.raises(RefundRefused):
        refund_request(order=order, amount=payment.amount, key="another", reason="Goodwill")
    asked = []
    provider_class = type(get_provider("sandbox"))
    original = provider_class.refund

    def remember(self, again):
        asked.append(again.reference)
        return original(self, again)

    returned = returned_in(order, refund, "en")
    try:
        provider_class.refund = remember
        with django_capture_on_commit_callbacks(execute=True):
            assert return_refund_retry(return_id=returned.pk) is True
    finally:
        provider_class.refund = original
    assert asked == [refund.reference]  # the same reference: the provider's idempotency key
    assert list(Refund.objects.filter(order=order)) == [refund]
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED

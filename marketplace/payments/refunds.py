"""
Refunds: money given back on an order through its payment's provider. Services write.

``refund_request`` records one refund per key (asking again returns the same
refund: a return received twice refunds once) and, after commit, a task asks
the provider once (``refund_start``). The provider's signed callback
(``refund_handle_notification``) settles it, counted once per event like a
payment's. An order paid on delivery has nothing to refund online: its refund
is recorded as ``manual``, for customer service to pay back by hand.
"""

import logging
from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import has_valid_precision

from .exceptions import (
    AmountMismatch,
    CurrencyMismatch,
    RefundRefused,
    RefundUnsupported,
    UnknownRefund,
)
from .models import Payment, PaymentNotification, Refund
from .providers import get_provider
from .providers.base import SUCCEEDED
from .refund_emails import refund_outcome_queue

logger = logging.getLogger(__name__)


def _given_up() -> Q:
    """Refunds failed because the provider never answered (``refund_give_up``), not refused by it.

    The provider may still have taken such a refund (a timeout after it acted looks like
    being unreachable): its money stays counted as given back, a late "succeeded" still
    settles it, and asking again re-sends the same refund under its own reference (the
    provider's idempotency key), never a second one.
    """
    return Q(status=Refund.Status.FAILED, requested_at__isnull=True)


def refunded_total(payment: Payment) -> Decimal:
    """What is given back, or being given back (or may have been: given up), on ``payment`` so far."""
    return (payment.refunds.exclude(Q(status=Refund.Status.FAILED) & ~_given_up())
            .aggregate(total=Sum("amount"))["total"] or Decimal(0))


def refund_reopen(refund: Refund) -> bool:
    """Ask the provider again for a refund given up on: the same refund, the same reference.

    Call inside a transaction holding the refund's row; False when it was not given up.
    """
    if not (refund.status == Refund.Status.FAILED and refund.requested_at is None
            and refund.payment_id is not None):
        return False
    refund.status, refund.completed_at = Refund.Status.PENDING, None
    refund.save(update_fields=["status", "completed_at"])
    from .tasks import refund_start as start_task

    refund_id = refund.pk
    transaction.on_commit(lambda: start_task.delay(refund_id))
    return True


def refund_request(*, order, amount: Decimal, key: str, reason: str) -> Refund:
    """The refund of ``amount`` on ``order`` known by ``key``: made once, however often asked."""
    existing = Refund.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if amount <= 0 or not has_valid_precision(amount, order.currency):
        raise RefundRefused(_("A refund is a positive amount in the order's currency."))
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, status=Payment.Status.SUCCEEDED).order_by("pk").first()
        )
        if payment is not None and amount > payment.amount - refunded_total(payment):
            raise RefundRefused(_("This would refund more than was paid for the order."))
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    order=order, payment=payment, key=key, amount=amount, currency=order.currency,
                    reason=reason[:255],
                    status=Refund.Status.PENDING if payment is not None else Refund.Status.MANUAL,
                )
        except IntegrityError:
            return Refund.objects.get(key=key)  # a concurrent request for the same key won
        if payment is not None:
            from .tasks import refund_start as start_task

            refund_id = refund.pk
            transaction.on_commit(lambda: start_task.delay(refund_id))
    return refund


def refund_start(*, refund_id: int) -> bool:
    """Ask the provider for the refund, once; a provider without refunds leaves it to be paid by hand."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment").filter(
            pk=refund_id).first()
        if refund is None or refund.status != Refund.Status.PENDING or refund.requested_at is not None:
            return False
        try:
            get_provider(refund.payment.provider).refund(refund)
        except RefundUnsupported:
            refund.status = Refund.Status.MANUAL
            refund.save(update_fields=["status"])
            return False
        refund.requested_at = timezone.now()
        refund.save(update_fields=["requested_at"])
    return True


def refund_give_up(*, refund_id: int) -> bool:
    """The provider could not be reached however often asked (the task's last retry): the refund failed.

    Left pending it would wait for ever; failed, it shows in the admin's "needs action" list,
    where its return's refund is asked for again, and the shopper is told. A refund the
    provider took in the meantime (asked, or settled) is left alone.
    """
    with transaction.atomic():
        refund = Refund.objects.select_for_update().filter(pk=refund_id).first()
        if refund is None or refund.status != Refund.Status.PENDING or refund.requested_at is not None:
            return False
        refund.status, refund.completed_at = Refund.Status.FAILED, timezone.now()
        refund.save(update_fields=["status", "completed_at"])
        logger.warning("Refund %s: the provider could not be reached, marked failed", refund.reference)
        refund_outcome_queue(refund)
    return True


def refund_handle_notification(*, provider_code: str, body: bytes, headers: Mapping) -> Refund:
    """Apply a provider's signed refund notification once; a ``PaymentError`` (nothing changed) if refused."""
    provider = get_provider(provider_code)
    notification = provider.verify_and_parse(body, headers)
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",)).select_related("payment")
            .filter(reference=notification.reference, payment__provider=provider_code).first()
        )
        if refund is None:
            raise UnknownRefund(notification.reference)
        if notification.currency != refund.currency:
            raise CurrencyMismatch(f"{notification.currency} != {refund.currency}")
        if notification.amount != refund.amount:
            raise AmountMismatch(f"{notification.amount} != {refund.amount}")
        if PaymentNotification.objects.filter(provider=provider_code, event_id=notification.event_id).exists():
            return refund  # delivered again: already counted
        # A refund given up on may still have been taken: the provider's word settles it.
        given_up = refund.status == Refund.Status.FAILED and refund.requested_at is None
        applies = refund.status == Refund.Status.PENDING or given_up
        try:
            with transaction.atomic():
                PaymentNotification.objects.create(
                    payment=refund.payment, provider=provider_code, event_id=notification.event_id,
                    status=f"refund_{notification.status}", amount=notification.amount,
                    currency=notification.currency, payload=notification.payload,
                    outcome=PaymentNotification.Outcome.APPLIED if applies else PaymentNotification.Outcome.IGNORED,
                )
        except IntegrityError:
            return refund
        if applies:
            refund.status = Refund.Status.SUCCEEDED if notification.status == SUCCEEDED else Refund.Status.FAILED
            refund.completed_at = timezone.now()
            refund.save(update_fields=["status", "completed_at"])
            refund_outcome_queue(refund)
        else:
            logger.warning("Refund notification %s for %s, already %s: recorded, not applied",
                           notification.event_id, refund.reference, refund.status)
    return refund

"""
Payments change here, each service in its own transaction.

A payment is pending until its provider reports (``payment_handle_notification``)
or it expires (``payment_expire_stale``); either way the order follows, if it
still awaits the payment, through ``transitions`` (paid, or cancelled with its
stock released). The payment row is locked first, then the order, everywhere,
so a notification and the expiry of the same payment never interleave.
"""

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import pages
from .exceptions import AmountMismatch, CurrencyMismatch, UnknownPayment, UnknownProvider
from .models import Payment, PaymentNotification
from .providers import get_provider
from .providers.base import SUCCEEDED, Notification, ProviderUnavailable
from .selectors import payment_for_order
from .transitions import order_follow_payment, payment_finish

logger = logging.getLogger(__name__)


def _locked(**filters) -> Payment | None:
    return (
        Payment.objects.select_for_update(of=("self",)).select_related("order")
        .filter(**filters).first()
    )


def payment_redirect_url(order, request=None) -> str | None:
    """Where to send the shopper once the order is placed; None for pay on delivery.

    Starts the payment at its provider the first time (after the order
    transaction has committed) and remembers the URL, so a reload or a
    replayed submission does not start it twice. The payment row stays locked
    from the check to the stored URL: a concurrent replay waits, then finds
    the URL, so the provider is called once per payment.
    """
    payment = payment_for_order(order)
    if payment is None:
        return None
    if payment.is_final or payment.is_stale():
        return pages.payment_status_url(payment)
    if payment.redirect_url:
        return payment.redirect_url
    with transaction.atomic():
        payment = _locked(pk=payment.pk)
        if payment.is_final or payment.is_stale():
            return pages.payment_status_url(payment)
        if payment.redirect_url:
            return payment.redirect_url
        try:
            url = get_provider(payment.provider).start(payment, request)
        except (ProviderUnavailable, UnknownProvider):
            logger.warning("Payment %s could not be started at %s", payment.reference,
                           payment.provider, exc_info=True)
            return pages.payment_status_url(payment)
        payment.redirect_url = url
        payment.save(update_fields=["redirect_url"])
    return url


def payment_handle_notification(*, provider_code: str, body: bytes, headers: Mapping) -> Payment:
    """Apply a provider's notification once; raise a ``PaymentError`` (nothing changed) if refused.

    The same event delivered again, or any event about a payment that is
    already settled, changes nothing; the latter is recorded for the operators.
    """
    provider = get_provider(provider_code)
    notification = provider.verify_and_parse(body, headers)
    with transaction.atomic():
        payment = _locked(reference=notification.reference, provider=provider_code)
        if payment is None:
            raise UnknownPayment(notification.reference)
        if notification.currency != payment.currency:
            raise CurrencyMismatch(f"{notification.currency} != {payment.currency}")
        if notification.amount != payment.amount:
            raise AmountMismatch(f"{notification.amount} != {payment.amount}")
        if PaymentNotification.objects.filter(
            provider=provider_code, event_id=notification.event_id
        ).exists():
            return payment  # delivered again: already counted
        applies = not payment.is_final
        try:
            with transaction.atomic():
                _record(payment, notification, applied=applies)
        except IntegrityError:
            return payment  # a concurrent delivery of the same event won
        if applies:
            _settle(payment, notification)
        else:
            logger.warning(
                "Notification %s (%s) for payment %s, already %s: recorded, not applied%s",
                notification.event_id, notification.status, payment.reference, payment.status,
                " (money taken for a closed payment: refund it)"
                if notification.status == SUCCEEDED and payment.status != Payment.Status.SUCCEEDED
                else "",
            )
    return payment


def _record(payment: Payment, notification: Notification, *, applied: bool) -> None:
    PaymentNotification.objects.create(
        payment=payment, provider=payment.provider, event_id=notification.event_id,
        status=notification.status, amount=notification.amount, currency=notification.currency,
        payload=notification.payload,
        outcome=PaymentNotification.Outcome.APPLIED if applied else PaymentNotification.Outcome.IGNORED,
    )


def _settle(payment: Payment, notification: Notification) -> None:
    if notification.status == SUCCEEDED:
        payment_finish(payment, Payment.Status.SUCCEEDED)
        order_follow_payment(payment, f"Paid: {payment.reference}")
    else:
        payment_finish(payment, Payment.Status.FAILED)
        order_follow_payment(payment, f"Payment {payment.reference} failed at {payment.provider}.")


def payment_expire(*, payment_id: int, now=None) -> bool:
    """Expire one payment if it is still pending past its time; idempotent.

    Its order is cancelled (stock released) if it still awaits this payment;
    an order that moved on is left as it is, and logged (``transitions``).
    """
    now = now or timezone.now()
    with transaction.atomic():
        payment = _locked(pk=payment_id)
        if payment is None or not payment.is_stale(now):
            return False
        payment_finish(payment, Payment.Status.EXPIRED, now)
        order_follow_payment(payment, f"Payment {payment.reference} expired at {now.isoformat()}.")
    return True


def payment_expire_stale(now=None) -> int:
    """Expire every pending payment past its time (the beat task); how many were expired.

    One short transaction each: a payment that cannot be expired is logged and
    skipped, and the sweep goes on with the others (it is tried again next run).
    """
    now = now or timezone.now()
    stale = (
        Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lte=now)
        .order_by("pk").values_list("pk", flat=True)
    )
    expired = 0
    for pk in list(stale):
        try:
            expired += payment_expire(payment_id=pk, now=now)
        except Exception:  # noqa: BLE001  (logged; one payment never stops the sweep)
            logger.exception("Payment %s could not be expired; skipped", pk)
    return expired


def payment_expire_if_stale(payment: Payment, now=None) -> Payment:
    """Expire on read: a status page polled after the time limit shows it expired."""
    if payment.is_stale(now):
        payment_expire(payment_id=payment.pk, now=now)
        payment.refresh_from_db()
    return payment

"""Payment tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError

from .providers.base import ProviderUnavailable

RETRIED = (OSError, OperationalError, InterfaceError)


@shared_task(name="payments.expire_stale_payments", autoretry_for=RETRIED,
             retry_backoff=True, max_retries=3)
def expire_stale_payments() -> int:
    """Every minute (beat): cancel orders whose payment ran out of time, freeing their stock."""
    from .services import payment_expire_stale

    return payment_expire_stale()


@shared_task(bind=True, name="payments.sandbox_send_callback", autoretry_for=RETRIED,
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def sandbox_send_callback(self, reference: str, outcome: str, attempt: int = 1) -> None:
    """The sandbox provider calling back about ``reference``; the same event id on every retry."""
    from .models import Payment
    from .providers import get_provider

    payment = Payment.objects.filter(reference=reference).first()
    if payment is None:
        return
    get_provider(payment.provider).deliver(payment, outcome=outcome, attempt=attempt)


REFUND_RETRIES = 8


@shared_task(bind=True, name="payments.refund_start", max_retries=REFUND_RETRIES)
def refund_start(self, refund_id: int) -> None:
    """Ask the provider for one refund (once: ``refunds.refund_start`` remembers it asked).

    Retried with a growing delay while the provider cannot be reached; after the last
    retry the refund is marked failed (``refund_give_up``) rather than left pending.
    """
    from .refunds import refund_give_up
    from .refunds import refund_start as start

    try:
        start(refund_id=refund_id)
    except (*RETRIED, ProviderUnavailable) as exc:
        if self.request.retries >= self.max_retries:
            refund_give_up(refund_id=refund_id)
            return
        raise self.retry(exc=exc, countdown=get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=300, full_jitter=True)) from exc


@shared_task(name="payments.sandbox_send_refund_callback", autoretry_for=RETRIED,
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=8)
def sandbox_send_refund_callback(reference: str) -> None:
    """The sandbox provider telling us a refund went through; the same event id on every retry."""
    from .models import Refund
    from .providers import get_provider

    refund = Refund.objects.select_related("payment").filter(reference=reference).first()
    if refund is None or refund.payment is None:
        return
    get_provider(refund.payment.provider).deliver_refund(refund)


@shared_task(name="payments.send_refund_outcome", autoretry_for=RETRIED, retry_backoff=True, max_retries=5)
def send_refund_outcome(refund_id: int) -> None:
    """E-mail the shopper how their refund ended (once: the refund remembers it told them)."""
    from .refund_emails import refund_outcome_send

    refund_outcome_send(refund_id=refund_id)

"""Payment tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task
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


@shared_task(name="payments.refund_start", autoretry_for=(*RETRIED, ProviderUnavailable), retry_backoff=True,
             retry_backoff_max=300, retry_jitter=True, max_retries=8)
def refund_start(refund_id: int) -> None:
    """Ask the provider for one refund (once: ``refunds.refund_start`` remembers it asked)."""
    from .refunds import refund_start as start

    start(refund_id=refund_id)


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

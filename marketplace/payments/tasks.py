"""Payment tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

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

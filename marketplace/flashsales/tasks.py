"""Flash-sale tasks: take ids or nothing, call a service; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRIED = (OSError, OperationalError, InterfaceError)


@shared_task(name="flashsales.sweep_reservations", autoretry_for=RETRIED, retry_backoff=True, max_retries=3)
def sweep_reservations() -> int:
    """Every 30 seconds (beat): write down expired reservations and give back their units."""
    from .services import reservations_sweep

    return reservations_sweep()


# SMTP and socket errors are OSErrors: retried with backoff (a code is valid for ten minutes).
# The shopper waits on the page for it: ahead of every other task (settings: priorities).
@shared_task(name="flashsales.send_contact_code", autoretry_for=(OSError,), retry_backoff=True, max_retries=3,
             priority=0)
def send_contact_code(email: str, code: str, language: str) -> None:
    """E-mail a guest the one-time code that verifies their address (``verification``).

    It takes the code itself, not an id: the code is kept nowhere else in clear (the
    cache holds its HMAC); the broker is as private as that cache.
    """
    from .verification import code_email_send

    code_email_send(email=email, code=code, language=language)

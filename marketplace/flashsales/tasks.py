"""Flash-sale tasks: take ids or nothing, call a service; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRIED = (OSError, OperationalError, InterfaceError)


@shared_task(name="flashsales.sweep_reservations", autoretry_for=RETRIED, retry_backoff=True, max_retries=3)
def sweep_reservations() -> int:
    """Every 30 seconds (beat): write down expired reservations and give back their units."""
    from .services import reservations_sweep

    return reservations_sweep()

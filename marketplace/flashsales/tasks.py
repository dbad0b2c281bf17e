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
@shared_task(name="flashsales.send_contact_code", autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_contact_code(email: str, code: str, language: str) -> None:
    """E-mail a guest the one-time code that verifies their address (``verification``).

    It takes the code itself, not an id: the code is kept nowhere else in clear (the
    cache holds its HMAC); the broker is as private as that cache.
    """
    from .verification import code_email_send

    code_email_send(email=email, code=code, language=language)


# The shopper waits on the page for the code: it is queued at the first priority step kombu's
# Redis transport takes, every other task at ``CELERY_TASK_DEFAULT_PRIORITY`` (lower). Passed
# when queued: Celery's ``priority`` task attribute is deprecated, and a route's priority is
# overridden by the task's default.
CODE_PRIORITY = 0


def contact_code_queue(email: str, code: str, language: str, **options):
    """Queue the code's e-mail ahead of the other tasks (``options``: Celery's, e.g. a queue)."""
    return send_contact_code.apply_async((email, code, language), priority=CODE_PRIORITY, **options)


# Writing the accepted orders' rows can wait behind the codes and the confirmations: their
# shoppers have the numbers already; last of kombu's priority steps on Redis.
ACCEPTED_ORDERS_PRIORITY = 9


@shared_task(name="flashsales.write_accepted_orders", autoretry_for=RETRIED, retry_backoff=True, max_retries=5)
def write_accepted_orders() -> int:
    """Write Oscar's orders of the flash-sale orders accepted at the peak, oldest first (``accepting``)."""
    from .accepting import accepted_orders_write

    return accepted_orders_write()


def accepted_orders_queue(**options):
    return write_accepted_orders.apply_async(priority=ACCEPTED_ORDERS_PRIORITY, **options)


@shared_task(name="flashsales.retry_accepted_orders")
def retry_accepted_orders() -> int:
    """Every minute (beat): the accepted orders still unwritten a minute on (a lost task, a crashed
    worker, a problem since mended) are tried again. The number written."""
    from .accepting import accepted_order_place, accepted_orders_waiting

    return sum(accepted_order_place(accepted_id=accepted_id) is not None for accepted_id in accepted_orders_waiting())

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


# Writing an accepted order's rows can wait behind the codes and the confirmations: the
# shopper has the number already; last of kombu's priority steps on Redis.
ACCEPTED_ORDER_PRIORITY = 9


@shared_task(name="flashsales.place_accepted_order", autoretry_for=RETRIED, retry_backoff=True, max_retries=5)
def place_accepted_order(accepted_id: int) -> int | None:
    """Write Oscar's order of a flash-sale order accepted at the peak (``accepting``)."""
    from .accepting import accepted_order_place

    order = accepted_order_place(accepted_id=accepted_id)
    return order.pk if order is not None else None


def accepted_order_queue(accepted_id: int, **options):
    return place_accepted_order.apply_async((accepted_id,), priority=ACCEPTED_ORDER_PRIORITY, **options)


@shared_task(name="flashsales.retry_accepted_orders")
def retry_accepted_orders() -> int:
    """Every minute (beat): queue again the accepted orders a worker has not written yet."""
    from .accepting import accepted_orders_waiting

    waiting = accepted_orders_waiting()
    for accepted_id in waiting:
        accepted_order_queue(accepted_id)
    return len(waiting)

"""Messaging tasks: take ids, load, call a service; safe to run twice."""

import random

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .exceptions import SendFailed

RETRIED = (SendFailed, OSError, OperationalError, InterfaceError)
MAX_RETRIES = 8


def backoff(retries: int, *, base: int = 5, cap: int = 600) -> int:
    """Seconds before retry ``retries + 1``: exponential (5, 10, 20 … 600 s) with jitter."""
    delay = min(cap, base * 2**retries)
    return delay // 2 + random.randint(0, delay // 2)  # noqa: S311  (spreading retries, not a secret)


@shared_task(bind=True, name="messaging.send_message", max_retries=MAX_RETRIES)
def send_message(self, message_id: int) -> None:
    """Send a queued message; retried with backoff while the provider is unreachable."""
    from . import services

    try:
        services.message_send(message_id)
    except RETRIED as exc:
        if self.request.retries >= self.max_retries:
            services.message_give_up(message_id, exc)
            return
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, name="messaging.sandbox_deliver_inbound", max_retries=MAX_RETRIES)
def sandbox_deliver_inbound(self, provider_code: str, payload: dict) -> None:
    """The sandbox provider delivering a shopper's message to our webhook: the same message
    id and body on every retry, signed afresh each time (as real providers re-sign)."""
    from .providers import get_provider

    provider = get_provider(provider_code)
    try:
        provider.deliver_inbound(payload)
    except RETRIED as exc:
        if self.request.retries >= self.max_retries:
            return
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc

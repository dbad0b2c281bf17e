"""Help desk tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reply(message_id: int) -> None:
    from .emails import reply_email_send

    reply_email_send(message_id=message_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_return_decision(return_id: int) -> None:
    from .emails import return_decision_send

    return_decision_send(return_id=return_id)

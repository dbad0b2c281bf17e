"""After-sales tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_update(booking_id: int, status: str) -> None:
    from .emails import booking_update_send

    booking_update_send(booking_id=booking_id, status=status)

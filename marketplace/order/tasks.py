"""Order tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task

from marketplace.channels.context import storefront


# SMTP and socket errors are OSErrors: retry those with backoff.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_order_confirmation(order_id: int, language: str) -> None:
    from .emails import send_order_placed_email
    from .models import Order

    order = Order.objects.select_related("channel", "user").get(pk=order_id)
    with storefront(order.channel, language):
        send_order_placed_email(order)

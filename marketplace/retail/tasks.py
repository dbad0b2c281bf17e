"""Partner retail tasks: take ids, load, call a service; safe to run twice."""

from celery import shared_task


@shared_task(name="retail.expire_unanswered_orders")
def expire_unanswered_orders() -> int:
    """Beat: cancel the orders their shops did not answer in time (shopper told, stock back)."""
    from .services import retail_orders_expire

    return len(retail_orders_expire())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_shopper(retail_order_id: int, event: str) -> None:
    """Tell the shopper what happened to their order (e-mail; text message when set up)."""
    from .models import RetailOrder
    from .notifications import notify

    retail_order = (
        RetailOrder.objects.select_related("order__channel", "order__user", "retailer")
        .filter(pk=retail_order_id).first()
    )
    if retail_order is None:
        return
    notify(retail_order, event)  # each message in its reader's language

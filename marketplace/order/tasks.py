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


@shared_task
def record_basket_addition(product_id: int) -> None:
    """Oscar's basket-addition counter of the product (see ``analytics``)."""
    from oscar.apps.analytics.receivers import ProductRecord, _update_counter

    _update_counter(ProductRecord, "num_basket_additions", {"product_id": product_id})


@shared_task
def record_order_placed(order_id: int, user_id: int | None) -> None:
    """Oscar's purchase counters of the order's products and of its shopper (see ``analytics``)."""
    from django.contrib.auth import get_user_model
    from oscar.apps.analytics.receivers import _record_products_in_order, _record_user_order

    from .models import Order

    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return
    _record_products_in_order(order)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is not None:
        _record_user_order(user, order)

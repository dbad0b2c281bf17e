"""Reading payment options and payments."""

from decimal import Decimal

from django.db.models import QuerySet

from .models import Payment, PaymentOption


def payment_options_for(channel, total: Decimal) -> QuerySet[PaymentOption]:
    """The options a shopper in ``channel`` may pay ``total`` with, in display order.

    Pay on Delivery above its cap is left out, as are inactive options and
    options whose provider is not configured.
    """
    return PaymentOption.objects.usable_for(channel, total).select_related("channel")


def payment_for_order(order) -> Payment | None:
    """The order's latest online payment (None for pay on delivery)."""
    return order.payments.order_by("-created_at", "-pk").first()


def payment_in_channel(*, reference: str, channel) -> Payment | None:
    """The payment with ``reference`` if its order was placed in ``channel``."""
    return (
        Payment.objects.select_related("order", "order__channel", "option")
        .filter(reference=reference, order__channel=channel)
        .first()
    )

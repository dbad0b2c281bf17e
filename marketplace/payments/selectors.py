"""Reading payment options and payments."""

from decimal import Decimal

from django.core.cache import cache

from .models import Payment, PaymentOption
from .providers import usable_codes

_CACHE_SECONDS = 300


def _cache_key(channel_pk) -> str:
    return f"payments:options:v1:{channel_pk}"


def channel_payment_options(channel) -> list[PaymentOption]:
    """The channel's active options in display order.

    Read on the payment, preview and place-order steps of every checkout and changed
    rarely, by an operator: kept in the shared cache per channel, forgotten on every
    save or delete of an option (``receivers``), and again after that commit.
    """
    key = _cache_key(channel.pk)
    options = cache.get(key)
    if options is None:
        options = list(PaymentOption.objects.filter(channel=channel, is_active=True).order_by("position", "pk"))
        cache.set(key, options, _CACHE_SECONDS)
    for option in options:
        option.channel = channel  # the request's, not a copy in the cache
    return options


def forget_payment_options(channel_pks) -> None:
    cache.delete_many([_cache_key(pk) for pk in channel_pks])


def payment_options_for(channel, total: Decimal) -> list[PaymentOption]:
    """The options a shopper in ``channel`` may pay ``total`` with, in display order.

    Pay on Delivery above its cap is left out, as are inactive options and
    options whose provider is not configured (``PaymentOption.objects.usable_for``).
    """
    usable = set(usable_codes())
    return [
        option for option in channel_payment_options(channel)
        if option.provider in usable and (option.max_order_total is None or option.max_order_total >= total)
    ]


def payment_option_in(channel, pk) -> PaymentOption | None:
    """The channel's active option ``pk`` (a shopper's choice kept in the session), if any."""
    return next((option for option in channel_payment_options(channel) if str(option.pk) == str(pk)), None)


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

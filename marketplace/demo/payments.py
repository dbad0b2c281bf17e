"""
Demo payment options: how people pay in each launch country, all through the sandbox.

Pay on Delivery everywhere up to a cap in local currency; mobile money where it
is how people pay (M-Pesa in Kenya, MTN MoMo in Ghana, Orange Money in Côte
d'Ivoire); card everywhere. Idempotent: options are found by channel, method
and provider and updated in place.
"""

from collections.abc import Mapping
from decimal import Decimal

from marketplace.channels.models import Channel
from marketplace.payments.models import Method, PaymentOption
from marketplace.payments.providers import PAY_ON_DELIVERY

SANDBOX = "sandbox"

# Country → Pay on Delivery cap (local currency, tax included).
POD_CAPS = {
    "NG": Decimal("200000"),
    "EG": Decimal("15000"),
    "KE": Decimal("30000"),
    "CI": Decimal("300000"),
    "MA": Decimal("5000"),
    "GH": Decimal("3000"),
}

# Country → online methods, in the order they are offered (before Pay on Delivery).
ONLINE = {
    "NG": [Method.CARD],
    "EG": [Method.CARD],
    "KE": [Method.MPESA, Method.CARD],
    "CI": [Method.ORANGE_MONEY, Method.CARD],
    "MA": [Method.CARD],
    "GH": [Method.MTN_MOMO, Method.CARD],
}


def seed_payment_options(channels=None) -> int:
    """Create or update the demo options of the launch channels; how many there are.

    ``channels``: a mapping of country code to channel (as ``seed_demo`` has it),
    or channels; all channels when not given.
    """
    if channels is None:
        channels = Channel.objects.all()
    channels = list(channels.values() if isinstance(channels, Mapping) else channels)
    count = 0
    for channel in channels:
        country = str(channel.country.code)
        if country not in POD_CAPS:
            continue
        for position, method in enumerate(ONLINE[country]):
            PaymentOption.objects.update_or_create(
                channel=channel, method=method, provider=SANDBOX,
                defaults={"max_order_total": None, "is_active": True, "position": position},
            )
            count += 1
        PaymentOption.objects.update_or_create(
            channel=channel, method=Method.PAY_ON_DELIVERY, provider=PAY_ON_DELIVERY,
            defaults={"max_order_total": POD_CAPS[country], "is_active": True,
                      "position": len(ONLINE[country])},
        )
        count += 1
    return count

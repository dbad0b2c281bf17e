"""Building what order placement needs: a basket, an address, delivery, a payment option."""

import itertools
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from oscar.apps.address.models import Country
from oscar.apps.order.models import ShippingAddress

from marketplace.basket.models import Basket
from marketplace.delivery.models import DeliveryOption
from marketplace.order.services import order_place
from marketplace.partner.strategy import Selector
from marketplace.shipping.methods import DeliveryMethod

_keys = itertools.count(1)

PHONES = {"NG": "+2348031234567", "KE": "+254712345678", "CI": "+2250701020304",
          "EG": "+201001234567", "MA": "+212612345678", "GH": "+233241234567"}


def home_delivery(channel, price="1000", free_above=None):
    return DeliveryOption.objects.get_or_create(
        channel=channel, kind=DeliveryOption.HOME,
        defaults={"name": "Home delivery", "price": Decimal(price),
                  "free_above": Decimal(free_above) if free_above else None},
    )[0]


def pay_on_delivery(channel, cap=None):
    from marketplace.payments.models import PaymentOption

    return PaymentOption.objects.get_or_create(
        channel=channel, method="pay_on_delivery",
        defaults={"provider": "pay_on_delivery", "max_order_total": cap},
    )[0]


def basket_with(channel, *items):
    """A channel's basket holding ``(product, quantity)`` items."""
    basket = Basket.objects.create(channel=channel)
    basket.strategy = Selector().strategy(channel=channel)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def address(channel, city="Lagos"):
    code = str(channel.country)
    return ShippingAddress(
        first_name="Ada", last_name="Obi", line1="12 Allen Avenue", line4=city,
        country=Country.objects.get(iso_3166_1_a2=code), phone_number=PHONES.get(code, ""),
    )


def place(channel, basket, *, payment=None, delivery=None, key=None, expected_total=None, user=None):
    delivery = delivery or home_delivery(channel)
    return order_place(
        channel=channel, basket=basket, user=user or AnonymousUser(),
        guest_email="guest@example.com", shipping_address=address(channel),
        shipping_method=DeliveryMethod(delivery, channel), payment_option=payment or pay_on_delivery(channel),
        checkout_key=key or f"test-{next(_keys)}", expected_total=expected_total,
    )

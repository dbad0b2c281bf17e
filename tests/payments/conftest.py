"""Payments fixtures: options per channel, orders with allocated stock, signed callbacks."""

import json
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.channels.money import quantize
from marketplace.order import stock
from marketplace.order.models import Line, Order
from marketplace.payments.models import Method, PaymentOption
from marketplace.payments.providers import PAY_ON_DELIVERY
from marketplace.payments.providers.base import sign
from tests import factories

SECRET = "test-sandbox-secret"
_numbers = count(1)


@pytest.fixture(autouse=True)
def _payment_settings(settings):
    settings.PAYMENT_TIMEOUT = timedelta(minutes=15)
    settings.PAYMENT_PROVIDERS = {
        "sandbox": {
            "CLASS": "marketplace.payments.providers.sandbox.SandboxProvider",
            "SECRET": SECRET,
            "MERCHANT_NAME": "Test Marketplace",
        },
    }


def option(channel, method, *, cap=None, position=0, active=True):
    provider = PAY_ON_DELIVERY if method == Method.PAY_ON_DELIVERY else "sandbox"
    return PaymentOption.objects.create(
        channel=channel, method=method, provider=provider,
        max_order_total=None if cap is None else Decimal(cap), position=position, is_active=active,
    )


@pytest.fixture
def card_ngn(channel_ngn):
    return option(channel_ngn, Method.CARD)


@pytest.fixture
def pod_ngn(channel_ngn):
    return option(channel_ngn, Method.PAY_ON_DELIVERY, cap="200000", position=1)


@pytest.fixture
def mpesa_kes(channel_kes):
    return option(channel_kes, Method.MPESA)


@pytest.fixture
def orange_money_xof(channel_xof):
    return option(channel_xof, Method.ORANGE_MONEY)


@pytest.fixture
def phone(db):
    return factories.product("Redmi Note 13")


def listing(channel, phone, price, stock=10):
    seller = factories.seller(f"Shop {channel.code}", channels=[channel])
    return factories.listing(phone, seller, channel, price, stock=stock)


@pytest.fixture
def listing_ngn(channel_ngn, phone):
    return listing(channel_ngn, phone, "150000.00")


@pytest.fixture
def listing_kes(channel_kes, phone):
    return listing(channel_kes, phone, "20000.00")


@pytest.fixture
def listing_xof(channel_xof, phone):
    return listing(channel_xof, phone, "127119")


def place_order(*, option, listing, quantity=1):
    """An order as the checkout leaves it: stock allocated and the payment started, in one
    transaction (the order service's own steps, without a basket)."""
    channel = listing.channel
    unit_excl = listing.price
    unit_incl = quantize(unit_excl * (1 + channel.tax_rate()), channel.currency)
    total_incl, total_excl = unit_incl * quantity, unit_excl * quantity
    with transaction.atomic():
        stock.allocate([(listing.pk, quantity)])
        order = Order.objects.create(
            number=f"{channel.code.upper()}-9{next(_numbers):05d}", channel=channel,
            currency=channel.currency, total_incl_tax=total_incl, total_excl_tax=total_excl,
            shipping_incl_tax=0, shipping_excl_tax=0, status=option.initial_order_status,
            guest_email="ada@example.com", date_placed=timezone.now(),
        )
        Line.objects.create(
            order=order, partner=listing.partner, partner_name=listing.partner.name,
            partner_sku=listing.partner_sku, stockrecord=listing, product=listing.product,
            title=listing.product.title, quantity=quantity,
            line_price_incl_tax=total_incl, line_price_excl_tax=total_excl,
            line_price_before_discounts_incl_tax=total_incl,
            line_price_before_discounts_excl_tax=total_excl,
            unit_price_incl_tax=unit_incl, unit_price_excl_tax=unit_excl,
            num_allocated=quantity,
        )
        payment = option.start_payment(order=order)
    return order, payment


def allocated(listing) -> int:
    listing.refresh_from_db()
    return listing.num_allocated or 0


def callback_body(payment, *, status="succeeded", event_id="evt-1", amount=None,
                  currency=None, reference=None) -> bytes:
    return json.dumps({
        "event_id": event_id,
        "reference": reference or payment.reference,
        "status": status,
        "amount": str(payment.amount if amount is None else amount),
        "currency": currency or payment.currency,
    }).encode()


def post_callback(client, body: bytes, *, signature=None, provider="sandbox", secret=SECRET):
    headers = {}
    if signature is None:
        signature = sign(secret.encode(), body)
    if signature:
        headers["HTTP_X_SANDBOX_SIGNATURE"] = signature
    return client.post(f"/payments/callback/{provider}/", data=body,
                       content_type="application/json", **headers)

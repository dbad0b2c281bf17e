"""Payment options per channel: the Pay-on-Delivery cap, usability, precision, constraints."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from marketplace.order import statuses
from marketplace.order.services import CheckoutError
from marketplace.payments.models import Method, Payment, PaymentOption
from marketplace.payments.selectors import payment_options_for

from .conftest import option, place_order


def methods(options):
    return [o.method for o in options]


def test_pay_on_delivery_above_its_cap_is_not_offered(channel_ngn, card_ngn, pod_ngn):
    assert methods(payment_options_for(channel_ngn, Decimal("199999.99"))) == ["card", "pay_on_delivery"]
    assert methods(payment_options_for(channel_ngn, Decimal("200000.00"))) == ["card", "pay_on_delivery"]
    assert methods(payment_options_for(channel_ngn, Decimal("200000.01"))) == ["card"]


def test_options_are_those_of_the_channel_active_and_in_position_order(
    channel_ngn, channel_kes, card_ngn, pod_ngn, mpesa_kes
):
    option(channel_ngn, Method.MPESA, position=5, active=False)
    assert methods(payment_options_for(channel_kes, Decimal("100"))) == ["mpesa"]
    pod_ngn.position = 0
    pod_ngn.save()
    card_ngn.position = 3
    card_ngn.save()
    assert methods(payment_options_for(channel_ngn, Decimal("100"))) == ["pay_on_delivery", "card"]


def test_an_option_whose_provider_is_not_configured_is_not_offered(settings, channel_ngn, card_ngn):
    settings.PAYMENT_PROVIDERS = {}
    assert methods(payment_options_for(channel_ngn, Decimal("100"))) == []
    with pytest.raises(CheckoutError):
        card_ngn.ensure_usable(channel=channel_ngn, total=Decimal("100"))


def test_ensure_usable_refuses_a_total_above_the_cap_with_a_translated_message(channel_ngn, pod_ngn):
    pod_ngn.ensure_usable(channel=channel_ngn, total=Decimal("200000"))
    with translation.override("en"), pytest.raises(CheckoutError) as exc:
        pod_ngn.ensure_usable(channel=channel_ngn, total=Decimal("200000.01"))
    assert "Pay on delivery" in str(exc.value.message)
    assert "₦200,000.00" in str(exc.value.message)
    with translation.override("fr"), pytest.raises(CheckoutError) as exc:
        pod_ngn.ensure_usable(channel=channel_ngn, total=Decimal("250000"))
    assert "Paiement à la livraison" in str(exc.value.message)


def test_ensure_usable_refuses_an_inactive_option_or_one_of_another_channel(
    channel_ngn, channel_kes, card_ngn
):
    with pytest.raises(CheckoutError):
        card_ngn.ensure_usable(channel=channel_kes, total=Decimal("1"))
    card_ngn.is_active = False
    card_ngn.save()
    with pytest.raises(CheckoutError):
        card_ngn.ensure_usable(channel=channel_ngn, total=Decimal("1"))


def test_initial_order_status_depends_on_the_method(card_ngn, pod_ngn, mpesa_kes):
    assert pod_ngn.initial_order_status == statuses.PENDING
    assert card_ngn.initial_order_status == statuses.AWAITING_PAYMENT
    assert mpesa_kes.initial_order_status == statuses.AWAITING_PAYMENT


def test_the_cap_must_fit_the_currency_precision(channel_xof, channel_ngn):
    whole = PaymentOption(channel=channel_xof, method=Method.PAY_ON_DELIVERY,
                          provider="pay_on_delivery", max_order_total=Decimal("300000"))
    whole.full_clean()
    francs_and_centimes = PaymentOption(channel=channel_xof, method=Method.PAY_ON_DELIVERY,
                                        provider="pay_on_delivery",
                                        max_order_total=Decimal("300000.50"))
    with pytest.raises(ValidationError) as exc:
        francs_and_centimes.full_clean()
    assert "max_order_total" in exc.value.message_dict
    kobo = PaymentOption(channel=channel_ngn, method=Method.PAY_ON_DELIVERY,
                         provider="pay_on_delivery", max_order_total=Decimal("199999.99"))
    kobo.full_clean()


def test_the_cap_is_never_negative(channel_ngn):
    negative = PaymentOption(channel=channel_ngn, method=Method.PAY_ON_DELIVERY,
                             provider="pay_on_delivery", max_order_total=Decimal("-1"))
    with pytest.raises(ValidationError):
        negative.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        negative.save()


def test_pay_on_delivery_has_no_provider_and_online_methods_need_one(channel_ngn):
    with pytest.raises(ValidationError):
        PaymentOption(channel=channel_ngn, method=Method.CARD, provider="pay_on_delivery").full_clean()
    with pytest.raises(ValidationError):
        PaymentOption(channel=channel_ngn, method=Method.PAY_ON_DELIVERY, provider="sandbox").full_clean()
    with pytest.raises(ValidationError):
        PaymentOption(channel=channel_ngn, method=Method.CARD, provider="nobody").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOption.objects.create(channel=channel_ngn, method=Method.CARD, provider="pay_on_delivery")


def test_start_payment_for_pay_on_delivery_creates_no_payment(pod_ngn, listing_ngn):
    order, payment = place_order(option=pod_ngn, listing=listing_ngn)
    assert payment is None
    assert order.status == statuses.PENDING
    assert not Payment.objects.exists()


def test_start_payment_online_asks_for_the_order_total_in_its_currency(card_ngn, listing_ngn):
    before = timezone.now()
    order, payment = place_order(option=card_ngn, listing=listing_ngn, quantity=2)
    payment.refresh_from_db()
    assert order.status == statuses.AWAITING_PAYMENT
    assert payment.status == Payment.Status.PENDING
    assert (payment.amount, payment.currency) == (Decimal("322500.00"), "NGN")
    assert payment.amount == order.total_incl_tax
    assert (payment.option, payment.provider, payment.method) == (card_ngn, "sandbox", "card")
    assert before + timedelta(minutes=15) <= payment.expires_at <= timezone.now() + timedelta(minutes=15)


def test_references_are_unguessable_and_unique(card_ngn, listing_ngn):
    references = {place_order(option=card_ngn, listing=listing_ngn)[1].reference for _ in range(5)}
    assert len(references) == 5
    assert all(len(r) >= 32 for r in references)


def test_an_order_waits_for_one_payment_at_a_time(card_ngn, listing_ngn):
    order, _payment = place_order(option=card_ngn, listing=listing_ngn)
    with pytest.raises(IntegrityError), transaction.atomic():
        card_ngn.start_payment(order=order)


def test_xof_payments_are_whole_francs(orange_money_xof, listing_xof):
    order, payment = place_order(option=orange_money_xof, listing=listing_xof)
    payment.refresh_from_db()
    assert payment.amount == Decimal("150000")
    assert payment.amount == payment.amount.to_integral_value()
    assert payment.currency == "XOF"

"""
The contract with the order service: ``order_place`` calls the payment option,
the shopper is sent on, the provider's answer settles the order.
"""

import pytest

from marketplace.order import statuses
from marketplace.payments import services
from marketplace.payments.models import Payment
from tests.checkout.builders import basket_with, place

from .conftest import allocated, callback_body, post_callback
from .test_sandbox import in_channel


@pytest.fixture
def basket_ngn(channel_ngn, listing_ngn):
    return basket_with(channel_ngn, (listing_ngn.product, 2))


def test_an_order_placed_with_card_waits_for_the_provider_then_is_paid(
    client, django_capture_on_commit_callbacks, channel_ngn, card_ngn, listing_ngn, basket_ngn
):
    with django_capture_on_commit_callbacks(execute=True):
        placed = place(channel_ngn, basket_ngn, payment=card_ngn)
    order = placed.order
    payment = Payment.objects.get(order=order)
    assert order.status == statuses.AWAITING_PAYMENT
    assert (payment.amount, payment.currency) == (order.total_incl_tax, "NGN")
    assert allocated(listing_ngn) == 2

    with in_channel(channel_ngn):
        url = services.payment_redirect_url(order)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "approve"})
    order.refresh_from_db()
    assert order.status == statuses.PAID


def test_a_declined_card_leaves_no_stock_allocated(
    client, django_capture_on_commit_callbacks, channel_ngn, card_ngn, listing_ngn, basket_ngn
):
    placed = place(channel_ngn, basket_ngn, payment=card_ngn)
    payment = Payment.objects.get(order=placed.order)
    assert allocated(listing_ngn) == 2
    assert post_callback(client, callback_body(payment, status="failed")).status_code == 200
    placed.order.refresh_from_db()
    assert placed.order.status == statuses.CANCELLED
    assert allocated(listing_ngn) == 0


def test_pay_on_delivery_above_the_cap_places_no_order(channel_ngn, pod_ngn, listing_ngn, basket_ngn):
    from marketplace.order.services import CheckoutError

    pod_ngn.max_order_total = 1000
    pod_ngn.save()
    with pytest.raises(CheckoutError):
        place(channel_ngn, basket_ngn, payment=pod_ngn)
    assert allocated(listing_ngn) == 0
    assert not Payment.objects.exists()


def test_a_replayed_submission_starts_one_payment(channel_ngn, card_ngn, basket_ngn):
    first = place(channel_ngn, basket_ngn, payment=card_ngn, key="attempt-1")
    again = place(channel_ngn, basket_ngn, payment=card_ngn, key="attempt-1")
    assert again.order == first.order and not again.created
    assert Payment.objects.filter(order=first.order).count() == 1

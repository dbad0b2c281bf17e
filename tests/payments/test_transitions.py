"""
An order and its payment move together: operators, callbacks, expiry and shipping.

The rules are ``order.statuses`` (pure); ``payments.transitions`` applies them.
Orders "left behind" below (Processing or Shipped while their payment is still
pending) are what the back office let operators make before the rules existed.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from marketplace.order import statuses
from marketplace.order.models import Order
from marketplace.payments import services, transitions
from marketplace.payments.models import Payment
from tests.backoffice.forms import admin_form_data

from .conftest import allocated, callback_body, place_order, post_callback

pytestmark = pytest.mark.django_db

ORDERS = "/admin/order/order/"


def in_stock(listing) -> int:
    listing.refresh_from_db()
    return listing.num_in_stock


def left_at(order, status):
    """Put an order where the old back office let an operator put it, payment still pending."""
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_user(
        username="root", email="root@example.com", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


# The rules, without a database.

@pytest.mark.parametrize("status, moves", [
    (statuses.AWAITING_PAYMENT, (statuses.CANCELLED,)),
    (statuses.PENDING, (statuses.PROCESSING, statuses.CANCELLED)),
    (statuses.PAID, (statuses.PROCESSING, statuses.CANCELLED)),
    (statuses.PROCESSING, (statuses.SHIPPED, statuses.CANCELLED)),
    (statuses.SHIPPED, (statuses.DELIVERED,)),
    (statuses.CANCELLED, ()),
])
def test_an_operator_may_only_cancel_an_order_awaiting_payment(status, moves):
    assert statuses.operator_moves(status) == moves


@pytest.mark.parametrize("order_status", [statuses.PAID, statuses.PROCESSING, statuses.SHIPPED,
                                          statuses.DELIVERED, statuses.CANCELLED])
@pytest.mark.parametrize("payment_status", [statuses.PAYMENT_SUCCEEDED, statuses.PAYMENT_FAILED,
                                            statuses.PAYMENT_EXPIRED])
def test_only_an_order_awaiting_its_payment_follows_it(order_status, payment_status):
    assert statuses.after_payment(order_status, payment_status) is None


def test_an_order_awaiting_payment_is_paid_or_cancelled_by_it():
    assert statuses.after_payment(statuses.AWAITING_PAYMENT, statuses.PAYMENT_SUCCEEDED) == statuses.PAID
    assert statuses.after_payment(statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED) == statuses.CANCELLED
    assert statuses.after_payment(statuses.AWAITING_PAYMENT, statuses.PAYMENT_EXPIRED) == statuses.CANCELLED


def test_shipping_consumes_and_cancelling_before_shipping_releases():
    assert statuses.move(statuses.PROCESSING, statuses.SHIPPED).consumes_stock
    assert statuses.move(statuses.PROCESSING, statuses.CANCELLED).releases_stock
    with pytest.raises(statuses.MoveRefused):
        statuses.move(statuses.SHIPPED, statuses.CANCELLED)
    with pytest.raises(statuses.MoveRefused):
        statuses.move(statuses.AWAITING_PAYMENT, statuses.PAID, by_operator=True)


def test_oscar_enforces_the_same_pipeline(settings):
    assert settings.OSCAR_ORDER_STATUS_PIPELINE == statuses.PIPELINE


# Operators in the back office.

def test_the_back_office_offers_only_cancel_for_an_order_awaiting_payment(admin_client, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    page = admin_client.get(f"{ORDERS}{order.pk}/change/")
    choices = [c[0] for c in page.context_data["adminform"].form.fields["status"].choices]
    assert choices == [statuses.AWAITING_PAYMENT, statuses.CANCELLED]

    for forced in (statuses.PAID, statuses.PROCESSING, statuses.SHIPPED):
        response = admin_client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": forced})
        assert response.status_code == 200
        assert response.context_data["adminform"].form.errors["status"]
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (statuses.AWAITING_PAYMENT, Payment.Status.PENDING)


def test_an_operator_cancelling_an_order_awaiting_payment_fails_the_payment_and_frees_the_stock(
    admin_client, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn, quantity=2)
    page = admin_client.get(f"{ORDERS}{order.pk}/change/")
    response = admin_client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": "Cancelled"})
    assert response.status_code == 302
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (statuses.CANCELLED, Payment.Status.FAILED)
    assert allocated(listing_ngn) == 0


def test_an_operator_move_that_lost_a_race_is_a_message_not_an_error(admin_client, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    page = admin_client.get(f"{ORDERS}{order.pk}/change/")
    left_at(order, statuses.SHIPPED)  # moved on by someone else since the page was shown
    # The form was built from the order as it is now, so the stale choice is refused.
    response = admin_client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": "Cancelled"})
    assert response.status_code in (200, 302)
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert allocated(listing_ngn) == 1


# Late payment events never undo an order that moved on.

@pytest.mark.parametrize("moved_to", [statuses.PAID, statuses.PROCESSING])
def test_a_failed_callback_does_not_cancel_an_order_that_moved_on(client, card_ngn, listing_ngn, moved_to):
    order, payment = place_order(option=card_ngn, listing=listing_ngn, quantity=2)
    left_at(order, moved_to)

    response = post_callback(client, callback_body(payment, status="failed"))

    assert response.status_code == 200
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (moved_to, Payment.Status.FAILED)
    assert allocated(listing_ngn) == 2  # the stock stays with the order


@pytest.mark.parametrize("outcome", ["succeeded", "failed"])
def test_a_callback_about_a_shipped_order_is_answered_not_a_500(client, card_ngn, listing_ngn, outcome, caplog):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    left_at(order, statuses.SHIPPED)

    with caplog.at_level(logging.WARNING, logger="marketplace.payments.transitions"):
        response = post_callback(client, callback_body(payment, status=outcome))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert order.number in caplog.text


def test_the_status_page_of_a_shipped_orders_stale_payment_shows_and_moves_nothing(client, mpesa_kes, listing_kes):
    order, payment = place_order(option=mpesa_kes, listing=listing_kes)
    left_at(order, statuses.SHIPPED)
    Payment.objects.filter(pk=payment.pk).update(expires_at=payment.created_at - timedelta(seconds=1))

    assert client.get(f"/ke/payments/{payment.reference}/status/").status_code == 200
    assert client.get(f"/ke/payments/{payment.reference}/").status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert allocated(listing_kes) == 1


def test_the_expiry_sweep_skips_what_it_cannot_move_and_goes_on(card_ngn, listing_ngn, caplog):
    shipped, shipped_payment = place_order(option=card_ngn, listing=listing_ngn)
    left_at(shipped, statuses.SHIPPED)
    waiting, waiting_payment = place_order(option=card_ngn, listing=listing_ngn)
    now = waiting_payment.expires_at + timedelta(minutes=1)

    with caplog.at_level(logging.WARNING):
        services.payment_expire_stale(now=now)

    shipped.refresh_from_db()
    waiting.refresh_from_db()
    waiting_payment.refresh_from_db()
    assert shipped.status == statuses.SHIPPED
    assert (waiting.status, waiting_payment.status) == (statuses.CANCELLED, Payment.Status.EXPIRED)
    assert shipped.number in caplog.text
    assert allocated(listing_ngn) == 1  # the shipped order's unit only
    # The next run has nothing left to trip over.
    assert services.payment_expire_stale(now=now + timedelta(minutes=1)) == 0


def test_one_payment_failing_to_expire_does_not_stop_the_sweep(card_ngn, listing_ngn, monkeypatch, caplog):
    broken, broken_payment = place_order(option=card_ngn, listing=listing_ngn)
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    real = services.payment_expire

    def expire(*, payment_id, now=None):
        if payment_id == broken_payment.pk:
            raise RuntimeError("database hiccup")
        return real(payment_id=payment_id, now=now)

    monkeypatch.setattr(services, "payment_expire", expire)
    with caplog.at_level(logging.ERROR):
        assert services.payment_expire_stale(now=payment.expires_at + timedelta(minutes=1)) == 1

    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert "could not be expired" in caplog.text


# Stock: consumed once on shipping, released once on cancelling before it.

def test_shipping_consumes_the_allocation_once(pod_ngn, listing_ngn):
    order, _ = place_order(option=pod_ngn, listing=listing_ngn, quantity=3)
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (10, 3)
    transitions.order_move(order=order, status=statuses.PROCESSING)

    transitions.order_move(order=order, status=statuses.SHIPPED)
    transitions.order_move(order=order, status=statuses.SHIPPED)  # a second click

    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (7, 0)
    with pytest.raises(statuses.MoveRefused):
        transitions.order_cancel(order=order, reason="too late")
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (7, 0)  # nothing released
    transitions.order_move(order=order, status=statuses.DELIVERED)
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (7, 0)


def test_shipping_from_the_back_office_consumes_the_stock(admin_client, pod_ngn, listing_ngn):
    order, _ = place_order(option=pod_ngn, listing=listing_ngn, quantity=2)
    for status in (statuses.PROCESSING, statuses.SHIPPED):
        page = admin_client.get(f"{ORDERS}{order.pk}/change/")
        response = admin_client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": status})
        assert response.status_code == 302
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (8, 0)


def test_cancelling_after_processing_releases_once(pod_ngn, listing_ngn):
    order, _ = place_order(option=pod_ngn, listing=listing_ngn, quantity=2)
    transitions.order_move(order=order, status=statuses.PROCESSING)

    transitions.order_cancel(order=order, reason="customer asked")
    transitions.order_cancel(order=order, reason="clicked twice")

    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (10, 0)


def test_consuming_never_overwrites_a_concurrent_count(pod_ngn, listing_ngn):
    from marketplace.order import stock

    order, _ = place_order(option=pod_ngn, listing=listing_ngn, quantity=2)
    stock.allocate([(listing_ngn.pk, 1)])  # another order meanwhile
    assert stock.consume([(listing_ngn.pk, 2)]) == []
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (8, 1)
    assert stock.consume([(listing_ngn.pk, 5)]) == [listing_ngn.pk]  # more than allocated: refused
    assert (in_stock(listing_ngn), allocated(listing_ngn)) == (8, 1)

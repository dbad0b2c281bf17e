"""A shop's order: accepted, declined, not answered in time (beat task), out for delivery,
delivered against the shopper's code (limited tries); the shopper told of each step."""

import datetime

import pytest
from django.utils import timezone, translation

from marketplace.order import statuses
from marketplace.partner.models import StockRecord
from marketplace.payments.models import Payment
from marketplace.retail import services
from marketplace.retail.models import RetailOrder
from marketplace.retail.tasks import expire_unanswered_orders

from .builders import place_with_shop, shop_basket

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_order(shop_phone, lagos_shop, channel_ngn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone, 2), lagos_shop)
    return RetailOrder.objects.get(order=placed.order)


def allocated(listing):
    return StockRecord.objects.get(pk=listing.pk).num_allocated or 0


def run(capture, service, *args):
    with capture(execute=True):
        return service(*args)


def test_accept_then_out_for_delivery_then_delivered_with_the_code(
    shop_order, shop_phone, mailoutbox, django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    run(capture, services.retail_order_accept, shop_order)
    shop_order.refresh_from_db()
    assert shop_order.status == RetailOrder.ACCEPTED
    assert shop_order.order.status == statuses.PROCESSING

    run(capture, services.retail_order_out_for_delivery, shop_order)
    shop_order.refresh_from_db()
    assert shop_order.order.status == statuses.SHIPPED
    listing = StockRecord.objects.get(pk=shop_phone.pk)
    assert (listing.num_in_stock, listing.num_allocated or 0) == (3, 0)  # consumed once

    run(capture, services.retail_order_deliver, shop_order, shop_order.delivery_code)
    shop_order.refresh_from_db()
    assert shop_order.status == RetailOrder.DELIVERED
    assert shop_order.order.status == statuses.DELIVERED
    # (Besides the marketplace's own order confirmation.)
    # (The confirmation names the shop too, as the seller of its lines.)
    subjects = [m.body for m in mailoutbox if "Ikeja Phones" in m.body and not m.subject.startswith("Confirmation")]
    assert len(subjects) == 4  # placed (with the code), accepted, out, delivered
    assert "accepted" in subjects[1] and "on its way" in subjects[2] and "delivered" in subjects[3]


def test_pickup_at_the_door_is_delivered_straight_from_accepted(shop_order, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, services.retail_order_accept, shop_order)
    services.retail_order_deliver(shop_order, shop_order.delivery_code)
    shop_order.refresh_from_db()
    assert shop_order.order.status == statuses.DELIVERED


def test_decline_cancels_and_gives_the_stock_back(shop_order, shop_phone, mailoutbox, django_capture_on_commit_callbacks):
    assert allocated(shop_phone) == 2
    run(django_capture_on_commit_callbacks, services.retail_order_decline, shop_order)
    shop_order.refresh_from_db()
    assert shop_order.status == RetailOrder.DECLINED
    assert shop_order.order.status == statuses.CANCELLED
    assert allocated(shop_phone) == 0
    assert "could not take your order" in mailoutbox[-1].body
    # Declining twice changes nothing; accepting a declined order is refused.
    services.retail_order_decline(shop_order)
    assert allocated(shop_phone) == 0
    with pytest.raises(services.RetailError):
        services.retail_order_accept(shop_order)


def test_not_answered_in_time_is_cancelled_by_the_beat_task_with_its_payment_voided(
    shop_phone, lagos_shop, channel_ngn, mailoutbox, django_capture_on_commit_callbacks,
):
    from tests.payments.conftest import option

    card = option(channel_ngn, "card")
    with django_capture_on_commit_callbacks(execute=True):
        placed = place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone), lagos_shop, payment=card)
    retail = RetailOrder.objects.get(order=placed.order)
    assert placed.order.status == statuses.AWAITING_PAYMENT
    assert Payment.objects.get(order=placed.order).status == Payment.Status.PENDING

    assert expire_unanswered_orders.delay().get() == 0  # still time to answer
    RetailOrder.objects.filter(pk=retail.pk).update(answer_by=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.RetailError):
        services.retail_order_accept(retail)  # too late for the shop too
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_unanswered_orders.delay().get() == 1
    retail.refresh_from_db()
    assert retail.status == RetailOrder.EXPIRED
    assert retail.order.status == statuses.CANCELLED
    assert Payment.objects.get(order=placed.order).status == Payment.Status.FAILED
    assert allocated(shop_phone) == 0
    assert "did not answer" in mailoutbox[-1].body
    assert expire_unanswered_orders.delay().get() == 0  # idempotent


def test_a_wrong_delivery_code_is_counted_and_limited(shop_order, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, services.retail_order_accept, shop_order)
    wrong = "000000" if shop_order.delivery_code != "000000" else "111111"
    expected = {2: "2 tries left", 1: "1 try left", 0: "0 tries left"}  # ngettext
    for left in (2, 1):
        with pytest.raises(services.RetailError) as error:
            services.retail_order_deliver(shop_order, wrong)
        assert expected[left] in error.value.message
    with pytest.raises(services.RetailError) as error, translation.override("fr"):
        services.retail_order_deliver(shop_order, wrong)
    assert "0 essai restant" in error.value.message  # French: 0 takes the singular
    # The limit (3 in this channel's policy) holds, even for the right code now.
    with pytest.raises(services.RetailError) as error:
        services.retail_order_deliver(shop_order, shop_order.delivery_code)
    assert "Too many" in error.value.message
    shop_order.refresh_from_db()
    assert shop_order.code_tries == 3 and shop_order.status == RetailOrder.ACCEPTED


def test_a_new_order_cannot_be_delivered_before_it_is_accepted(shop_order):
    with pytest.raises(services.RetailError):
        services.retail_order_deliver(shop_order, shop_order.delivery_code)
    shop_order.refresh_from_db()
    assert shop_order.order.status == statuses.PENDING and shop_order.code_tries == 0

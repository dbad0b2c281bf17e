"""An abandoned payment expires after its time limit: order cancelled, stock released."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from marketplace.order import statuses
from marketplace.payments import services, tasks
from marketplace.payments.models import Payment, PaymentNotification

from .conftest import allocated, callback_body, place_order, post_callback


def test_nothing_expires_before_the_time_limit(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    assert services.payment_expire_stale(now=payment.expires_at - timedelta(seconds=1)) == 0
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.PENDING, statuses.AWAITING_PAYMENT)
    assert allocated(listing_ngn) == 1


def test_after_the_time_limit_the_payment_expires_and_the_stock_is_released(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn, quantity=3)
    paid_order, paid = place_order(option=card_ngn, listing=listing_ngn)
    paid.status, paid.completed_at = Payment.Status.SUCCEEDED, paid.created_at
    paid.save()
    assert allocated(listing_ngn) == 4
    now = payment.expires_at + timedelta(minutes=1)

    assert services.payment_expire_stale(now=now) == 1
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED
    assert payment.completed_at == now
    assert order.status == statuses.CANCELLED
    assert allocated(listing_ngn) == 1  # the settled payment's order keeps its unit
    # Idempotent: the next run finds nothing and releases nothing again.
    assert services.payment_expire_stale(now=now + timedelta(minutes=1)) == 0
    assert allocated(listing_ngn) == 1


def test_the_default_time_limit_is_fifteen_minutes(settings, monkeypatch, card_ngn, listing_ngn):
    # The clock stopped: the limit is exact, not within a tolerance a slow run could exceed.
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    del settings.PAYMENT_TIMEOUT
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    assert payment.created_at == moment and payment.expires_at == moment + timedelta(minutes=15)
    settings.PAYMENT_TIMEOUT = 60  # seconds, as the environment gives it
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)
    assert payment.expires_at == moment + timedelta(seconds=60)


def test_the_celery_task_expires_stale_payments_and_is_scheduled(card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    Payment.objects.filter(pk=payment.pk).update(expires_at=payment.created_at - timedelta(seconds=1))
    assert tasks.expire_stale_payments.delay().get() == 1
    assert tasks.expire_stale_payments.delay().get() == 0
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert allocated(listing_ngn) == 0
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == tasks.expire_stale_payments.name)
    assert entry["schedule"] == 60.0


def test_a_status_page_read_after_the_time_limit_shows_expired(client, mpesa_kes, listing_kes):
    order, payment = place_order(option=mpesa_kes, listing=listing_kes)
    url = f"/ke/payments/{payment.reference}/status/"
    assert client.get(url).json()["status"] == "pending"
    Payment.objects.filter(pk=payment.pk).update(expires_at=payment.created_at - timedelta(seconds=1))

    data = client.get(url).json()
    assert (data["status"], data["is_final"]) == ("expired", True)
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert allocated(listing_kes) == 0
    page = client.get(f"/ke/payments/{payment.reference}/")
    assert "The time to pay has run out" in page.content.decode()


def test_a_success_arriving_after_expiry_is_recorded_but_does_not_revive_the_order(
    client, card_ngn, listing_ngn
):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    services.payment_expire_stale(now=payment.expires_at)
    response = post_callback(client, callback_body(payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (Payment.Status.EXPIRED, statuses.CANCELLED)
    assert PaymentNotification.objects.get().outcome == "ignored"
    assert allocated(listing_ngn) == 0


def test_a_payment_settled_before_the_sweep_is_left_alone(client, card_ngn, listing_ngn):
    order, payment = place_order(option=card_ngn, listing=listing_ngn)
    post_callback(client, callback_body(payment))
    assert services.payment_expire_stale(now=payment.expires_at + timedelta(hours=1)) == 0
    order.refresh_from_db()
    assert order.status == statuses.PAID
    assert allocated(listing_ngn) == 1

"""A flash-sale basket's order accepted in one short transaction, its rows written by a worker.

The short checkout's POST gives the shopper the order's number at once (the units theirs,
the basket frozen); the Celery task writes Oscar's order with that number afterwards. In
these tests the task runs when the request's transaction's on-commit callbacks are run by
hand (``django_capture_on_commit_callbacks``), so what the shopper sees before it, and the
order it writes, are each checked.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from oscar.apps.address.models import Country, UserAddress

from marketplace.basket.models import Basket
from marketplace.flashsales import accepting, tasks
from marketplace.flashsales.models import AcceptedOrder, Reservation, SaleItem, ShopperTally
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from tests import factories
from tests.checkout.builders import PHONES, home_delivery, pay_on_delivery

from .test_guest_verification import ADA, code_sent_to, won
from .test_short_checkout import TOTAL, checkout_url, form_data, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"
    settings.FLASHSALES_ACCEPT_ORDERS = True


@pytest.fixture
def shop(hot_item, channel_ngn):
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    return hot_item


def accept(client, url, fields, capture):
    """POST the page; the task the answer queued kept aside (``callbacks``), not run."""
    with capture(execute=False) as callbacks:
        response = client.post(url, fields)
    return response, callbacks


def run(callbacks):
    for callback in callbacks:
        callback()


def test_a_guests_order_is_accepted_with_its_number_and_written_by_the_worker(
        client, shop, django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    client.post(url, fields)  # the code e-mailed
    response, queued = accept(client, url, {**fields, "code": code_sent_to(ADA)}, django_capture_on_commit_callbacks)

    accepted = AcceptedOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ng/flash-sales/orders/{accepted.number}/"
    assert accepted.total == TOTAL and accepted.guest_email == ADA
    # A character longer than a placed order's number: never drawn for one placed meanwhile.
    assert re.fullmatch(r"NG-[2-9A-HJKMNP-TV-Z]{9}", accepted.number)
    assert accepted.order is None and not Order.objects.exists()  # not written yet
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.ORDERED and reservation.order is None  # the unit is the order's
    shop.refresh_from_db()
    assert shop.units_held == shop.units - 1
    assert ShopperTally.objects.filter(shopper=f"o:e:{ADA}", taken=1).exists()
    assert Basket.objects.get(pk=accepted.basket_id).status == Basket.FROZEN

    page = client.get(response["Location"])  # before the worker: the number, the total, and it follows
    html = page.content.decode()
    assert page.status_code == 200 and page["Refresh"] == "2"
    assert accepted.number in html and "₦54,825.00" in html and "Redmi Note 13" in html
    assert "You pay on delivery." in html

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the worker, and what it queues
        run(queued)

    order = Order.objects.get()
    assert order.number == accepted.number and order.total_incl_tax == TOTAL and order.guest_email == ADA
    assert order.lines.get().unit_price_incl_tax == Decimal("53750.00")
    assert order.shipping_address.phone_number.as_e164 == PHONES["NG"]
    reservation.refresh_from_db()
    assert reservation.order == order
    accepted.refresh_from_db()
    assert accepted.order == order and accepted.problem == ""
    assert Basket.objects.get(pk=accepted.basket_id).status == Basket.SUBMITTED
    listing = StockRecord.objects.get(pk=shop.listing_id)
    assert listing.num_allocated == shop.units  # the held unit, not allocated twice
    shop.refresh_from_db()
    assert shop.units_held == shop.units - 1  # taken once, at the acceptance
    assert ShopperTally.objects.get(shopper=f"o:e:{ADA}").taken == 1
    assert [m.to for m in mail.outbox] == [[ADA]] and order.number in mail.outbox[0].subject + mail.outbox[0].body

    after = client.get(f"/ng/flash-sales/orders/{accepted.number}/")  # written: the regular confirmation
    assert after.status_code == 302 and after["Location"] == "/ng/checkout/thank-you/"
    assert order.number in client.get("/ng/checkout/thank-you/").content.decode()


def test_the_worker_writes_an_accepted_order_once(client, shop, django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    verified(client, ADA)
    response, queued = accept(client, url, fields, django_capture_on_commit_callbacks)
    accepted = AcceptedOrder.objects.get()

    run(queued)
    tasks.write_accepted_orders()  # again: a retried or repeated task
    assert accepting.accepted_order_place(accepted_id=accepted.pk) == Order.objects.get()

    assert Order.objects.count() == 1 and Reservation.objects.get().order == Order.objects.get()


def test_a_repeated_submission_gets_the_one_accepted_order(client, shop, django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    verified(client, ADA)

    first, _queued = accept(client, url, fields, django_capture_on_commit_callbacks)
    second, _again = accept(client, url, fields, django_capture_on_commit_callbacks)  # the basket is frozen now

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert AcceptedOrder.objects.count() == 1 and not _again
    assert client.get(url)["Location"] == first["Location"]  # back to the page: its confirmation


def test_a_signed_in_shopper_confirms_with_one_post(client, shop, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user("ada", ADA, "pw")
    UserAddress.objects.create(
        user=user, first_name="Ada", last_name="Obi", line1="3 Awolowo Road", line4="Lagos",
        country=Country.objects.get(iso_3166_1_a2="NG"), phone_number=PHONES["NG"], is_default_for_shipping=True,
    )
    client.force_login(user)
    client.post(f"/ng/flash-sales/items/{shop.pk}/claim/", {"quantity": "1"})
    response, queued = accept(client, checkout_url(), form_data(client.get(checkout_url())),
                              django_capture_on_commit_callbacks)

    accepted = AcceptedOrder.objects.get()
    assert response.status_code == 302 and accepted.user == user and accepted.guest_email == ""
    assert ShopperTally.objects.filter(shopper=f"o:u:{user.pk}", taken=1).exists()
    # Theirs by account: on this device, again from the page, and on another where they signed in.
    assert client.get(response["Location"]).status_code == 200
    assert client.post(checkout_url(), {})["Location"] == response["Location"]
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(response["Location"]).status_code == 200
    stranger = Client()
    stranger.force_login(get_user_model().objects.create_user("bob", "bob@example.com", "pw"))
    assert stranger.get(response["Location"]).status_code == 404
    assert stranger.get(checkout_url()).status_code == 404
    run(queued)
    order = Order.objects.get()
    assert order.user == user and order.number == accepted.number and order.shipping_address.line1 == "3 Awolowo Road"


def test_the_confirmation_page_is_only_for_the_session_that_accepted_it(client, shop,
                                                                       django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    verified(client, ADA)
    response, _queued = accept(client, url, fields, django_capture_on_commit_callbacks)
    number = AcceptedOrder.objects.get().number

    assert Client().get(response["Location"]).status_code == 404
    assert client.get("/ng/flash-sales/orders/NG-NOTMINE2/").status_code == 404
    assert client.get(f"/ke/flash-sales/orders/{number}/").status_code == 404  # another channel's address
    assert client.get("/ng/flash-sales/orders/" + "x" * 5000 + "/").status_code == 404


@pytest.mark.parametrize("spoil", ["expired", "ended", "stopped", "hold gone"])
def test_a_claim_that_lapsed_is_refused_and_nothing_is_accepted(client, shop, spoil,
                                                                django_capture_on_commit_callbacks):
    from datetime import timedelta

    from marketplace.flashsales.models import Sale

    url, fields = won(client, shop)
    verified(client, ADA)
    moment = timezone.now()
    if spoil == "expired":
        Reservation.objects.update(expires_at=moment - timedelta(seconds=1))
    elif spoil == "ended":
        Sale.objects.update(starts_at=moment - timedelta(hours=1), ends_at=moment - timedelta(seconds=1))
    elif spoil == "stopped":
        Sale.objects.update(status=Sale.STOPPED)
    else:
        SaleItem.objects.update(units_held=0)  # what a stop's release leaves

    response, queued = accept(client, url, fields, django_capture_on_commit_callbacks)

    assert response.status_code in (409, 410) and not queued
    assert not AcceptedOrder.objects.exists() and not Order.objects.exists()
    assert Reservation.objects.get().status != Reservation.ORDERED
    assert Basket.objects.get().status == Basket.OPEN
    assert not ShopperTally.objects.filter(shopper=f"o:e:{ADA}").exclude(taken=0).exists()


def test_a_basket_with_a_regular_line_beside_the_claim_is_placed_in_the_request(
        client, shop, django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    verified(client, ADA)
    from marketplace.partner.strategy import Selector

    channel = shop.sale.channels.get()
    other = factories.listing(factories.product(), shop.listing.partner, channel, Decimal("1000"))
    basket = Basket.objects.get()
    basket.strategy = Selector().strategy(channel=channel)
    basket.add_product(other.product, 1)
    page = client.get(url)

    response, _queued = accept(client, url, {**fields, **{k: v for k, v in form_data(page).items()
                                                          if k.startswith("expected_total")}},
                               django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == "/ng/checkout/thank-you/"
    assert Order.objects.count() == 1 and not AcceptedOrder.objects.exists()


def test_beat_queues_again_an_accepted_order_left_unwritten(client, shop, django_capture_on_commit_callbacks):
    from datetime import timedelta

    url, fields = won(client, shop)
    verified(client, ADA)
    accept(client, url, fields, django_capture_on_commit_callbacks)  # its task lost: never run
    assert tasks.retry_accepted_orders() == 0  # a minute's grace
    AcceptedOrder.objects.update(accepted_at=timezone.now() - timedelta(minutes=2))

    assert tasks.retry_accepted_orders() == 1  # Celery runs eagerly in the tests: written now

    assert AcceptedOrder.objects.get().order == Order.objects.get()
    assert tasks.retry_accepted_orders() == 0


def test_an_order_the_worker_cannot_write_is_kept_with_its_problem_and_the_units_stay_its(
        client, shop, django_capture_on_commit_callbacks):
    from marketplace.payments.models import PaymentOption

    url, fields = won(client, shop)
    verified(client, ADA)
    _response, queued = accept(client, url, fields, django_capture_on_commit_callbacks)
    from django.core.cache import cache

    PaymentOption.objects.update(is_active=False)  # the channel dropped Pay on Delivery meanwhile
    cache.clear()  # (as its admin's save does: what the channel's options are is cached)

    run(queued)

    accepted = AcceptedOrder.objects.get()
    assert accepted.order is None and "no longer offered" in accepted.problem
    assert Reservation.objects.get().status == Reservation.ORDERED  # the units are still the order's
    assert not Order.objects.exists()


def test_the_accepting_post_runs_a_bounded_number_of_queries(client, shop, django_assert_max_num_queries,
                                                            django_capture_on_commit_callbacks):
    url, fields = won(client, shop)
    verified(client, ADA)

    # A guest's, on PostgreSQL: the session's basket and lines, the claim, BEGIN, the basket frozen,
    # the listing FOR SHARE, the reservation ordered with its hold and the shopper's tally (one
    # statement), the row, COMMIT, the session write and its transaction's edges (12). On SQLite
    # no FOR SHARE, and the reservation, hold and tally are three statements (13). Writing the
    # order in the request took 28.
    with django_assert_max_num_queries(12 if connection.vendor == "postgresql" else 13):
        response, _queued = accept(client, url, fields, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and AcceptedOrder.objects.exists()


def _signed_in(client, username="ada", address=True):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw")
    if address:
        UserAddress.objects.create(
            user=user, first_name="Ada", last_name="Obi", line1="3 Awolowo Road", line4="Lagos",
            country=Country.objects.get(iso_3166_1_a2="NG"), phone_number=PHONES["NG"],
            is_default_for_shipping=True,
        )
    client.force_login(user)
    return user


def test_an_apps_claim_answer_carries_the_order_to_confirm_with_one_post(client, shop,
                                                                        django_capture_on_commit_callbacks):
    user = _signed_in(client)

    answer = client.post(f"/ng/flash-sales/items/{shop.pk}/claim/", {"quantity": "1"},
                         HTTP_ACCEPT="application/json").json()

    confirm = answer["confirm"]
    assert confirm["url"] == answer["checkout_url"] and confirm["deliver_to"] == "3 Awolowo Road, Lagos"
    assert [(m["total"], m["total_display"]) for m in confirm["methods"]] == [("54825.00", "₦54,825.00")]
    assert confirm["options"][0]["name"] == "Pay on delivery"
    # Exactly what the page would submit.
    page = {name: value for name, value in form_data(client.get(confirm["url"])).items()
            if value and name != "csrfmiddlewaretoken"}
    assert confirm["fields"] == page
    response, queued = accept(client, confirm["url"], confirm["fields"], django_capture_on_commit_callbacks)
    assert response.status_code == 302 and AcceptedOrder.objects.get().user == user
    run(queued)
    assert Order.objects.get().total_incl_tax == TOTAL


def test_a_guest_or_a_shopper_without_a_saved_address_gets_no_confirmation(client, shop, channel_ngn):
    claim = f"/ng/flash-sales/items/{shop.pk}/claim/"
    answer = client.post(claim, {"quantity": "1"}, HTTP_ACCEPT="application/json").json()
    assert answer["status"] == "ok" and "confirm" not in answer

    other = Client()
    _signed_in(other, "bob", address=False)
    answer = other.post(claim, {"quantity": "1"}, HTTP_ACCEPT="application/json").json()
    assert answer["status"] == "ok" and "confirm" not in answer


def test_the_writer_writes_a_few_at_a_time_and_queues_itself_while_more_wait(
        shop, monkeypatch, django_capture_on_commit_callbacks):
    """A guest's code (priority 0) is taken between two batches, not after the whole backlog."""
    from django.core.cache import cache

    for n in range(12):
        fan = Client()
        url, fields = won(fan, shop, email=f"fan{n}@example.com")
        verified(fan, f"fan{n}@example.com")
        accept(fan, url, fields, django_capture_on_commit_callbacks)  # the wake-ups kept aside
    queued = []
    monkeypatch.setattr(accepting, "_queue_writer", lambda: queued.append(1))

    assert accepting.accepted_orders_write() == accepting.WRITER_BATCH == 5
    assert queued == [1] and cache.get(accepting.WRITER_KEY) == 1  # more wait: queued again, key kept
    assert accepting.accepted_orders_write() == 5 and len(queued) == 2
    assert accepting.accepted_orders_write() == 2  # the last ones: the writer stops
    assert len(queued) == 2 and cache.get(accepting.WRITER_KEY) is None
    assert Order.objects.count() == AcceptedOrder.objects.filter(order__isnull=False).count() == 12

    accepting.writer_wake()  # nothing waits: a writer is queued, and finds nothing
    assert accepting.accepted_orders_write() == 0 and cache.get(accepting.WRITER_KEY) is None


def test_a_broker_down_after_the_acceptance_still_gives_the_shopper_their_number(
        client, shop, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    url, fields = won(client, shop)
    verified(client, ADA)

    def down():
        raise OperationalError("Error 111 connecting to the broker")

    monkeypatch.setattr(accepting, "_queue_writer", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, fields)

    accepted = AcceptedOrder.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{accepted.number}/")
    assert accepted.order is None  # beat writes it (test_beat_queues_again_...)

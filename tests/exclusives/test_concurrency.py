"""On PostgreSQL, a rule created while another seller's order is placed: no excluded order."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from marketplace.exclusives import services
from marketplace.order import services as order_services
from marketplace.order.models import Order
from marketplace.order.services import CheckoutError
from tests.checkout.builders import home_delivery, pay_on_delivery, place
from tests.locks import wait_until_blocking_someone

from .test_checkout import basket_with_listing

pytestmark = pytest.mark.django_db(transaction=True)


def run(*targets):
    errors = []

    def wrap(target):
        def body():
            try:
                target()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()
        return body

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def ready(postgres, family, channel_ngn):
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    return basket_with_listing(channel_ngn, family.other_listing)


def create_rule(family, store, channel):
    return services.rule_create(
        product=family.parent, store=store, channels=[channel],
        starts_at=timezone.now() - timedelta(seconds=1),
    )


def test_a_rule_committing_while_the_order_waits_for_its_listing_refuses_the_order(
    ready, family, official_store, channel_ngn
):
    rule_locked = threading.Event()
    outcome = {}

    def rule_writer():
        with transaction.atomic():
            create_rule(family, official_store, channel_ngn)  # locks the excluded listings
            rule_locked.set()
            wait_until_blocking_someone()  # the order is queued behind the listing's row lock

    def shopper():
        rule_locked.wait(30)
        try:
            place(channel_ngn, ready)
            outcome["order"] = "placed"
        except CheckoutError as exc:
            outcome["order"] = str(exc.message)

    assert run(rule_writer, shopper) == []
    assert "sold only by" in outcome["order"]
    assert not Order.objects.exists()
    family.other_listing.refresh_from_db()
    assert not family.other_listing.num_allocated


def test_an_order_holding_its_listing_commits_before_the_rule(
    ready, family, official_store, channel_ngn, monkeypatch
):
    order_locked = threading.Event()
    real_allocate = order_services.stock.allocate
    outcome = {}

    def allocate_and_linger(quantities, **kwargs):
        real_allocate(quantities, **kwargs)
        order_locked.set()
        wait_until_blocking_someone()  # the rule writer is queued behind the listing's row lock
        outcome["rule_blocked"] = True

    monkeypatch.setattr(order_services.stock, "allocate", allocate_and_linger)

    def shopper():
        outcome["order"] = place(channel_ngn, ready).order

    def rule_writer():
        order_locked.wait(30)
        create_rule(family, official_store, channel_ngn)

    assert run(shopper, rule_writer) == []
    # The rule writer queued behind the order's row lock (PostgreSQL showed the
    # wait): the order committed before the rule existed for anyone, so it is not
    # an excluded order.
    assert outcome["rule_blocked"]
    assert Order.objects.get().pk == outcome["order"].pk

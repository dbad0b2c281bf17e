"""Guests ask for a return from their order's page: its address (the order's signed hash) proves the
order is theirs; the rules are the signed-in shopper's (window, lines, quantities)."""

from datetime import timedelta

import pytest
from django.test import Client

from marketplace.helpdesk import return_rules as rr
from marketplace.helpdesk.models import HelpDesk, ReturnRequest
from tests.aftersales.conftest import phone_ng, plan_ng, shopper  # noqa: F401  (fixtures)
from tests.helpdesk.test_returns import order_with_plan, product_line

pytestmark = pytest.mark.django_db

# ruff: noqa: F811  (the fixtures imported above are arguments of the tests)


def guest_url(order, hash_=None):
    return f"/ng/help/returns/{order.number}/{hash_ or order.verification_hash()}/"


def ask(client, order, *, hash_=None, line=None, quantity=1, reason="The screen flickers"):
    return client.post(guest_url(order, hash_),
                       {"line": (line or product_line(order)).pk, "quantity": quantity, "reason": reason})


def guest_page(client, order):
    """The guest's order page, as the order lookup opens it (number and e-mail, then the hash)."""
    found = client.post("/ng/orders/lookup/", {"number": order.number, "email": "guest@example.com"})
    assert found.status_code == 302, found
    return client.get(found["Location"]).content.decode()


def test_a_guest_asks_for_a_return_from_the_order_page(channel_ngn, phone_ng, plan_ng):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None, quantity=2)
    guest = Client()
    page = guest_page(guest, order)
    assert 'class="return-request"' in page and guest_url(order) in page

    response = ask(guest, order, quantity=2)
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/ng/accounts/order-status/{order.number}/{order.verification_hash()}/#aftercare")
    item = ReturnRequest.objects.get()
    assert (item.order, item.line, item.quantity, item.status) == (order, product_line(order), 2, rr.REQUESTED)
    assert item.reference in guest_page(guest, order)


def test_a_forged_or_another_orders_hash_finds_nothing(channel_ngn, phone_ng, plan_ng, shopper):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None)
    other = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None)
    signed_in = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper)
    guest = Client()
    guest_page(guest, order)
    number, signature = order.verification_hash().split(":", 1)
    for forged in (f"{number}:{'A' * len(signature)}", other.verification_hash(), "nope", f"{number}:"):
        assert ask(guest, order, hash_=forged).status_code == 404, forged
    # A shopper's order is returned from their account, never through a guest address.
    assert ask(guest, signed_in, hash_=signed_in.verification_hash()).status_code == 404
    # Another channel's address does not open a Nigerian order either.
    assert guest.post(f"/ke/help/returns/{order.number}/{order.verification_hash()}/",
                      {"line": product_line(order).pk, "quantity": 1, "reason": "x"}).status_code == 404
    assert not ReturnRequest.objects.exists()


def test_a_guests_return_follows_the_same_rules(channel_ngn, phone_ng, plan_ng):
    HelpDesk.objects.create(channel=channel_ngn, phone="+234 1 000", email="help@example.com", days="Mon–Fri",
                            opens_at="08:00", closes_at="18:00", return_days=7)
    undelivered = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None, delivered=False)
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None, quantity=2)
    guest = Client()
    guest_page(guest, order)  # the lookup proves the e-mail both orders were placed with

    response = ask(guest, undelivered)
    assert response.status_code == 400 and "once the order has been delivered" in response.content.decode()
    assert ask(guest, order, line=order.lines.get(parent_line__isnull=False)).status_code == 400
    too_many = ask(guest, order, quantity=3)
    assert too_many.status_code == 400 and "at most 2" in too_many.content.decode()
    assert f"/ng/accounts/order-status/{order.number}/" in too_many.content.decode()  # the way back
    assert ask(guest, order, line=undelivered.lines.first()).status_code == 400  # another order's line
    for bad in ({"quantity": "NaN"}, {"line": "9" * 40}, {"reason": ""}):
        fields = {"line": product_line(order).pk, "quantity": 1, "reason": "Broken", **bad}
        assert guest.post(guest_url(order), fields).status_code == 400, bad
    order.status_changes.update(date_created=order.status_changes.first().date_created - timedelta(days=8))
    late = ask(guest, order)
    assert late.status_code == 400 and "return window of this order closed" in late.content.decode()
    assert not ReturnRequest.objects.exists()


def test_the_address_alone_is_not_enough(channel_ngn, phone_ng, plan_ng):
    """The hash also travels in invoice and e-mail links: as Oscar's order page, the return asks for
    the order's e-mail proven to the lookup in this session too."""
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=None)
    stranger = Client()
    stranger.get("/ng/")
    assert ask(stranger, order).status_code == 404
    session = stranger.session
    session["anon_order_email"] = "someone.else@example.com"
    session.save()
    assert ask(stranger, order).status_code == 404
    assert not ReturnRequest.objects.exists()
    guest = Client()
    guest_page(guest, order)
    assert ask(guest, order).status_code == 302
    assert ReturnRequest.objects.count() == 1

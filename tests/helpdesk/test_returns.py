"""Returns and refunds: the shopper asks from the order page, customer service or the seller
decides in the admin, the item comes back into stock and is refunded through the provider."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.aftersales.services import basket_line_plan_set
from marketplace.helpdesk import return_rules as rr
from marketplace.helpdesk.models import HelpDesk, ReturnRequest
from marketplace.memberships.services import membership_grant
from marketplace.payments.models import Payment, PaymentNotification, Refund
from marketplace.payments.providers import get_provider
from marketplace.payments.providers.base import sign
from marketplace.payments.refunds import refund_handle_notification
from tests.aftersales.conftest import deliver, phone_ng, plan_ng, shopper  # noqa: F401  (fixtures)
from tests.checkout.builders import basket_with, place
from tests.payments.conftest import SECRET, option

# "Today" is the channel's day: no run may cross midnight there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday_in_lagos")]

# ruff: noqa: F811  (the fixtures imported above are arguments of the tests)


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.PAYMENT_PROVIDERS = {"sandbox": {
        "CLASS": "marketplace.payments.providers.sandbox.SandboxProvider", "SECRET": SECRET,
    }}


def order_with_plan(channel, listing, warranty, *, user, quantity=2, paid_online=False, delivered=True):
    basket = basket_with(channel, (listing.product, quantity))
    basket_line_plan_set(basket=basket, product_line=basket.all_lines()[0], plan=warranty, expected_incl_tax=None)
    basket._lines = None
    payment = option(channel, "card") if paid_online else None
    order = place(channel, basket, user=user, **({"payment": payment} if payment else {})).order
    if paid_online:
        paid = Payment.objects.get(order=order)
        get_provider("sandbox").deliver(paid, outcome="succeeded", attempt=1)
        order.refresh_from_db()
    if delivered:
        order = deliver(order)
    return order


def product_line(order):
    return order.lines.get(parent_line__isnull=True)


def ask(client, order, line=None, quantity=1, reason="The screen flickers"):
    return client.post(f"/ng/help/returns/{order.number}/",
                       {"line": (line or product_line(order)).pk, "quantity": quantity, "reason": reason})


def member(django_user_model, name, **grant):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    membership_grant(user=user, **grant)
    staff = Client()
    staff.force_login(user)
    return staff


def change(staff, item, status, refusal_reason=""):
    return staff.post(f"/admin/helpdesk/returnrequest/{item.pk}/change/",
                      {"status": status, "refusal_reason": refusal_reason})


@pytest.fixture
def agent(channel_ngn, django_user_model):
    return member(django_user_model, "ng.agent", channel=channel_ngn, kind="agent")


def test_a_return_approved_and_received_restocks_and_refunds_the_product_with_its_plan(
    client, channel_ngn, phone_ng, plan_ng, shopper, agent, django_capture_on_commit_callbacks,
):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2, paid_online=True)
    phone_ng.refresh_from_db()
    in_stock = phone_ng.num_in_stock
    client.force_login(shopper)
    page = client.get(f"/ng/accounts/orders/{order.number}/").content.decode()
    assert 'class="return-request"' in page

    assert ask(client, order).status_code == 302
    item = ReturnRequest.objects.get()
    assert item.status == rr.REQUESTED and item.quantity == 1
    assert change(agent, item, rr.APPROVED).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        with django_capture_on_commit_callbacks(execute=True):
            assert change(agent, item, rr.RECEIVED).status_code == 302

    item.refresh_from_db()
    phone_ng.refresh_from_db()
    assert item.status == rr.RECEIVED and phone_ng.num_in_stock == in_stock + 1
    refund = item.refund
    # One phone (₦161,250 with VAT) and its 1-year plan (₦16,125): at the prices paid.
    assert refund.amount == Decimal("161250.00") + Decimal("16125.00")
    assert refund.status == Refund.Status.SUCCEEDED  # the sandbox called back, signed
    assert refund.payment.order == order and refund.currency == "NGN"
    page = client.get(f"/ng/accounts/orders/{order.number}/").content.decode()
    assert item.reference in page and "Refund of ₦177,375.00: Refunded" in page


def test_receiving_twice_and_a_repeated_callback_refund_once(
    channel_ngn, phone_ng, plan_ng, shopper, django_capture_on_commit_callbacks,
):
    from marketplace.helpdesk.returns import return_create, return_decide, return_receive

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, paid_online=True)
    item = return_create(order=order, line_id=product_line(order).pk, quantity=2, reason="x",
                         today=channel_ngn.today(), language="en")
    return_decide(return_id=item.pk, approve=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        return_receive(return_id=item.pk)
        return_receive(return_id=item.pk)
    assert Refund.objects.count() == 1
    phone_ng.refresh_from_db()
    refund = Refund.objects.get()
    provider = get_provider("sandbox")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    body, headers = provider.refund_notification(refund)
    refund_handle_notification(provider_code="sandbox", body=body, headers=headers)  # sent again
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert PaymentNotification.objects.filter(event_id__endswith="_refund").count() == 1
    # And the refund service itself, asked again with the return's key, makes none.
    from marketplace.payments.refunds import refund_request

    assert refund_request(order=order, amount=refund.amount, key=f"return-{item.pk}", reason="again") == refund
    assert Refund.objects.count() == 1


def test_the_refund_callback_endpoint_checks_signature_amount_and_reference(client, channel_ngn, phone_ng,
                                                                           plan_ng, shopper):
    from marketplace.payments.refunds import refund_request

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, paid_online=True)
    refund = refund_request(order=order, amount=Decimal("1000.00"), key="k1", reason="goodwill")
    body, headers = get_provider("sandbox").refund_notification(refund)

    def post(data, signature):
        return client.post("/payments/callback/sandbox/refunds/", data=data, content_type="application/json",
                           HTTP_X_SANDBOX_SIGNATURE=signature)

    assert post(body, "0" * 64).status_code == 400
    tampered = body.replace(b'"1000.00"', b'"999999.00"')
    assert post(tampered, sign(SECRET.encode(), tampered)).status_code == 409
    unknown = body.replace(refund.reference.encode(), b"nope")
    assert post(unknown, sign(SECRET.encode(), unknown)).status_code == 404
    refund.refresh_from_db()
    assert refund.status == Refund.Status.PENDING
    assert post(body, headers["X-Sandbox-Signature"]).status_code == 200
    assert post(body, headers["X-Sandbox-Signature"]).status_code == 200  # re-sent: counted once
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED


def test_a_refund_never_exceeds_what_was_paid(channel_ngn, phone_ng, plan_ng, shopper):
    from marketplace.payments.exceptions import RefundRefused
    from marketplace.payments.refunds import refund_request

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, paid_online=True)
    with pytest.raises(RefundRefused):
        refund_request(order=order, amount=order.total_incl_tax + 1, key="too-much", reason="x")
    with pytest.raises(RefundRefused):
        refund_request(order=order, amount=Decimal("10.005"), key="decimals", reason="x")
    assert not Refund.objects.exists()


def test_an_order_paid_on_delivery_is_refunded_by_hand(client, channel_ngn, phone_ng, plan_ng, shopper, agent):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=1)
    client.force_login(shopper)
    ask(client, order)
    item = ReturnRequest.objects.get()
    change(agent, item, rr.APPROVED)
    change(agent, item, rr.RECEIVED)

    item.refresh_from_db()
    assert item.refund.status == Refund.Status.MANUAL and item.refund.payment is None


def test_a_refusal_needs_a_reason_the_shopper_then_reads(client, channel_ngn, phone_ng, plan_ng, shopper, agent):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper)
    client.force_login(shopper)
    ask(client, order)
    item = ReturnRequest.objects.get()

    no_reason = change(agent, item, rr.REFUSED)
    assert no_reason.status_code == 200 and "Say why the return is refused" in no_reason.content.decode()
    skipped = change(agent, item, rr.RECEIVED)
    assert skipped.status_code == 200 and "cannot go from" in skipped.content.decode()
    assert change(agent, item, rr.REFUSED, "Opened and used: not returnable").status_code == 302
    page = client.get(f"/ng/accounts/orders/{order.number}/").content.decode()
    assert "Opened and used: not returnable" in page
    assert ask(client, order).status_code == 302  # a refused return can be asked again


def test_returns_outside_the_rules_are_refused_clearly(client, channel_ngn, phone_ng, plan_ng, shopper,
                                                       django_user_model):
    HelpDesk.objects.create(channel=channel_ngn, phone="+234 1 000", email="help@example.com", days="Mon–Fri",
                            opens_at="08:00", closes_at="18:00", return_days=7)
    undelivered = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, delivered=False)
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2)
    client.force_login(shopper)

    response = ask(client, undelivered)
    assert response.status_code == 400 and "once the order has been delivered" in response.content.decode()
    warranty_line = order.lines.get(parent_line__isnull=False)
    assert ask(client, order, line=warranty_line).status_code == 400
    too_many = ask(client, order, quantity=3)
    assert too_many.status_code == 400 and "at most 2" in too_many.content.decode()
    foreign_line = undelivered.lines.first()
    assert ask(client, order, line=foreign_line).status_code == 400
    for bad in ({"quantity": "NaN"}, {"quantity": "1e999"}, {"quantity": "٣"}, {"line": "9" * 40},
                {"reason": ""}, {"reason": "x" * 5000}):
        fields = {"line": product_line(order).pk, "quantity": 1, "reason": "Broken", **bad}
        assert client.post(f"/ng/help/returns/{order.number}/", fields).status_code == 400, bad
    assert client.post(f"/ng/help/returns/{order.number}/",
                       {"line": product_line(order).pk, "quantity": 1, "reason": "Cassé\x00"}).status_code == 400
    # After the window (7 days after delivery).
    order.status_changes.update(date_created=order.status_changes.first().date_created - timedelta(days=8))
    late = ask(client, order)
    assert late.status_code == 400 and "return window of this order closed" in late.content.decode()
    # Another shopper's order is not found at all.
    other = django_user_model.objects.create_user("bola", "bola@example.com", "pw")
    client.force_login(other)
    assert ask(client, order).status_code == 404
    assert not ReturnRequest.objects.exists()
    # And a guest is asked to sign in (no return written).
    assert Client().post(f"/ng/help/returns/{order.number}/", {}).status_code == 302


def test_the_return_admin_is_scoped_per_role(client, channel_ngn, channel_kes, phone_ng, plan_ng, shopper,
                                             official_store, agent, django_user_model):
    from tests import factories

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper)
    client.force_login(shopper)
    ask(client, order)
    item = ReturnRequest.objects.get()
    url = "/admin/helpdesk/returnrequest/"
    kenyan_agent = member(django_user_model, "ke.agent", channel=channel_kes, kind="agent")
    seller = member(django_user_model, "store.staff", seller=official_store)
    other_seller = member(django_user_model, "other.staff", seller=factories.seller("Other shop", [channel_ngn]))

    assert list(agent.get(url).context_data["cl"].queryset) == [item]
    assert list(seller.get(url).context_data["cl"].queryset) == [item]
    assert list(kenyan_agent.get(url).context_data["cl"].queryset) == []
    assert list(other_seller.get(url).context_data["cl"].queryset) == []
    for outsider in (kenyan_agent, other_seller):
        assert change(outsider, item, rr.APPROVED).status_code in (403, 404)
    item.refresh_from_db()
    assert item.status == rr.REQUESTED
    assert change(seller, item, rr.APPROVED).status_code == 302  # the line's seller decides too
    item.refresh_from_db()
    assert item.status == rr.APPROVED
    assert agent.get(f"{url}add/").status_code == 403


def test_after_one_unit_came_back_the_lines_other_unit_can_be_returned_too(
    channel_ngn, phone_ng, plan_ng, shopper, django_capture_on_commit_callbacks,
):
    from marketplace.helpdesk.returns import (
        ReturnRefused,
        return_create,
        return_decide,
        return_receive,
    )

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2, paid_online=True)
    phone_ng.refresh_from_db()
    in_stock = phone_ng.num_in_stock

    def return_one():
        item = return_create(order=order, line_id=product_line(order).pk, quantity=1, reason="x",
                             today=channel_ngn.today(), language="en")
        return_decide(return_id=item.pk, approve=True)
        with django_capture_on_commit_callbacks(execute=True):
            return_receive(return_id=item.pk)
        return item

    return_one()
    return_one()  # refused with "already under way" before: the first return is over
    with pytest.raises(ReturnRefused):  # but never more units than were bought
        return_create(order=order, line_id=product_line(order).pk, quantity=1, reason="x",
                      today=channel_ngn.today(), language="en")
    phone_ng.refresh_from_db()
    assert phone_ng.num_in_stock == in_stock + 2
    assert Refund.objects.count() == 2


def test_a_refund_the_provider_refused_is_asked_for_again_from_the_admin_once(
    channel_ngn, phone_ng, plan_ng, shopper, agent, django_capture_on_commit_callbacks,
):
    from marketplace.helpdesk.returns import return_create, return_decide, return_receive

    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=1, paid_online=True)
    item = return_create(order=order, line_id=product_line(order).pk, quantity=1, reason="x",
                         today=channel_ngn.today(), language="en")
    return_decide(return_id=item.pk, approve=True)
    with django_capture_on_commit_callbacks(execute=False):
        return_receive(return_id=item.pk)  # the provider is never reached...
    item.refresh_from_db()
    # ...then it is asked and refuses it (a refund only given up on is asked again as itself:
    # tests/payments/test_refund_outcomes.py).
    Refund.objects.filter(pk=item.refund_id).update(status=Refund.Status.FAILED, requested_at=timezone.now())

    def retry():
        with django_capture_on_commit_callbacks(execute=True):
            return agent.post("/admin/helpdesk/returnrequest/", {
                "action": "retry_refunds", "_selected_action": [item.pk], "index": 0,
            })

    assert retry().status_code == 302
    assert retry().status_code == 302  # again: the new refund is done, nothing more is asked
    item.refresh_from_db()
    assert Refund.objects.filter(order=order).count() == 2
    assert item.refund.status == Refund.Status.SUCCEEDED and item.refund.key == f"return-{item.pk}-2"
    assert item.refund.amount == Refund.objects.get(key=f"return-{item.pk}").amount

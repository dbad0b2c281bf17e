"""Refunds of orders paid on delivery: no provider to call. One operator records the payout made by
hand, a second one (never the same) confirms it; only then is it refunded and the shopper told.
The permission boundary per role, with own and foreign refunds; the "needs action" list."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from marketplace.memberships.services import membership_grant
from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.models import Method, Refund
from marketplace.payments.payouts import refund_payout_confirm, refund_payout_record
from marketplace.payments.refunds import refund_request
from tests import factories

from .conftest import listing, option, place_order

pytestmark = pytest.mark.django_db

URL = "/admin/payments/refund/"


def pod_refund(channel, phone, price, key):
    order, _payment = place_order(option=option(channel, Method.PAY_ON_DELIVERY), listing=listing(channel, phone, price))
    refund = refund_request(order=order, amount=Decimal(price), key=key, reason="Return")
    assert refund.status == Refund.Status.MANUAL and refund.payment is None
    return refund


def staff(django_user_model, name, **grant):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    if grant:
        membership_grant(user=user, **grant)
    else:
        user.is_staff = True
        user.save()
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def world(channel_ngn, channel_egp, phone, django_user_model):
    refund_ng = pod_refund(channel_ngn, phone, "150000.00", "pod-ng")
    refund_eg = pod_refund(channel_egp, phone, "9000.00", "pod-eg")
    return {
        "ng": refund_ng, "eg": refund_eg,
        "ng_operator": staff(django_user_model, "ng.op1", channel=channel_ngn),
        "ng_second": staff(django_user_model, "ng.op2", channel=channel_ngn),
        "eg_operator": staff(django_user_model, "eg.op", channel=channel_egp),
        "ng_agent": staff(django_user_model, "ng.agent", channel=channel_ngn, kind="agent"),
        "seller": staff(django_user_model, "seller", seller=factories.seller("Lagos shop", [channel_ngn])),
    }


def record(client, refund, reference="GTB-TRF-0042"):
    return client.post(f"{URL}{refund.pk}/change/", {"payout_reference": reference})


def confirm(client, refund):
    return client.post(f"{URL}{refund.pk}/change/", {"confirm": "on"})


def test_a_payout_recorded_by_one_operator_is_confirmed_by_another(world, django_capture_on_commit_callbacks):
    refund, first, second = world["ng"], world["ng_operator"], world["ng_second"]
    page = first.get(f"{URL}{refund.pk}/change/")
    assert page.status_code == 200 and page.context_data["has_change_permission"]

    empty = record(first, refund, reference="  ")
    assert empty.status_code == 200 and "Say how the money was paid back" in empty.content.decode()
    assert record(first, refund).status_code == 302
    refund.refresh_from_db()
    assert (refund.payout_reference, refund.payout_recorded_by, refund.status) == (
        "GTB-TRF-0042", first.user, Refund.Status.MANUAL)
    assert record(second, refund, reference="overwritten").status_code == 200  # asks to confirm, no re-record
    refund.refresh_from_db()
    assert refund.payout_reference == "GTB-TRF-0042"

    mine = confirm(first, refund)  # the same operator: refused, clearly
    assert mine.status_code == 200 and "Another operator confirms this payout" in mine.content.decode()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.MANUAL and refund.payout_confirmed_by is None

    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(second, refund).status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED and refund.payout_confirmed_by == second.user
    assert refund.completed_at is not None
    assert len(mail.outbox) == 1 and "is on its way" in mail.outbox[0].subject  # the shopper is told
    # Done: nothing more is written here.
    assert second.get(f"{URL}{refund.pk}/change/").context_data["has_change_permission"] is False
    assert confirm(second, refund).status_code == 403


def test_the_same_operator_never_confirms_through_the_service_or_the_database(world):
    refund, first = world["ng"], world["ng_operator"]
    with pytest.raises(RefundRefused):
        refund_payout_confirm(refund_id=refund.pk, operator=first.user)  # nothing recorded yet
    refund_payout_record(refund_id=refund.pk, operator=first.user, reference="MPESA QX12")
    with pytest.raises(RefundRefused):
        refund_payout_record(refund_id=refund.pk, operator=world["ng_second"].user, reference="again")
    with pytest.raises(RefundRefused):
        refund_payout_confirm(refund_id=refund.pk, operator=first.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(payout_confirmed_by=first.user, status=Refund.Status.SUCCEEDED)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.MANUAL


@pytest.mark.parametrize("role", ["eg_operator", "ng_agent", "seller"])
def test_no_other_role_records_or_confirms_a_payout(world, role):
    client, refund = world[role], world["ng"]
    refund_payout_record(refund_id=refund.pk, operator=world["ng_operator"].user, reference="TRF-1")
    before = Refund.objects.filter(pk=refund.pk).values().get()
    page = client.get(f"{URL}{refund.pk}/change/")
    if role == "ng_agent":  # the channel's agents read its refunds, never write them
        assert page.status_code == 200 and page.context_data["has_change_permission"] is False
        assert confirm(client, refund).status_code == 403
    else:  # a foreign operator finds nothing; a seller has no refunds at all
        assert page.status_code in (403, 404)
        assert confirm(client, refund).status_code in (403, 404)
    assert Refund.objects.filter(pk=refund.pk).values().get() == before


def test_an_operator_records_the_payouts_of_their_own_channel_only(world):
    first, refund_eg = world["ng_operator"], world["eg"]
    assert first.get(f"{URL}{refund_eg.pk}/change/").status_code == 404
    assert record(first, refund_eg).status_code == 404
    refund_eg.refresh_from_db()
    assert refund_eg.payout_recorded_by is None and refund_eg.payout_reference == ""


def test_the_needs_action_list_shows_failed_and_by_hand_refunds_of_the_users_channels(world, phone,
                                                                                      channel_ngn):
    from .test_refund_outcomes import paid_order

    order = paid_order(channel_ngn, factories.product("Tablet"), "150000.00")
    failed = Refund.objects.create(order=order, payment=order.payments.get(), key="f", amount=Decimal("10.00"),
                                   currency="NGN", reason="x", status=Refund.Status.FAILED)
    pending = Refund.objects.create(order=order, payment=order.payments.get(), key="p", amount=Decimal("10.00"),
                                    currency="NGN", reason="x")
    done = Refund.objects.create(order=order, payment=order.payments.get(), key="d", amount=Decimal("10.00"),
                                 currency="NGN", reason="x", status=Refund.Status.SUCCEEDED)

    def listed(client, query=""):
        response = client.get(URL + query)
        assert response.status_code == 200
        return set(response.context_data["cl"].queryset)

    operator = world["ng_operator"]
    assert listed(operator, "?needs_action=yes") == {world["ng"], failed}
    assert listed(operator) == {world["ng"], failed, pending, done}
    assert listed(world["eg_operator"], "?needs_action=yes") == {world["eg"]}
    assert listed(world["ng_agent"], "?needs_action=yes") == {world["ng"], failed}
    assert world["seller"].get(URL).status_code == 403

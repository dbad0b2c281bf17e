"""On PostgreSQL: a return received by several workers at once, or asked for twice at once,
restocks and refunds once."""

import pytest

from marketplace.helpdesk import return_rules as rr
from marketplace.helpdesk.models import ReturnRequest
from marketplace.helpdesk.returns import return_create, return_decide, return_receive
from marketplace.payments.models import Refund
from tests.aftersales.conftest import phone_ng, plan_ng, shopper  # noqa: F401  (fixtures)
from tests.payments.test_concurrency import at_once

from .test_returns import _sandbox, order_with_plan, product_line  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres

# ruff: noqa: F811  (the fixtures imported above are arguments of the tests)


def test_a_return_received_by_five_workers_at_once_restocks_and_refunds_once(
    postgres, transactional_db, channel_ngn, phone_ng, plan_ng, shopper,
):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=2, paid_online=True)
    item = return_create(order=order, line_id=product_line(order).pk, quantity=2, reason="x",
                         today=channel_ngn.today(), language="en")
    return_decide(return_id=item.pk, approve=True)
    phone_ng.refresh_from_db()
    in_stock = phone_ng.num_in_stock

    results = at_once([lambda: return_receive(return_id=item.pk).status] * 5)

    assert results == [rr.RECEIVED] * 5
    phone_ng.refresh_from_db()
    assert phone_ng.num_in_stock == in_stock + 2
    assert Refund.objects.count() == 1
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED


def test_the_same_return_asked_twice_at_once_is_one_return(
    postgres, transactional_db, channel_ngn, phone_ng, plan_ng, shopper,
):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=1)
    line_id = product_line(order).pk

    def ask():
        try:
            return return_create(order=order, line_id=line_id, quantity=1, reason="x", today=channel_ngn.today(),
                                 language="en").status
        except rr.ReturnRefused as exc:
            return str(exc.message)

    results = at_once([ask] * 4)

    assert results.count(rr.REQUESTED) == 1
    assert ReturnRequest.objects.count() == 1

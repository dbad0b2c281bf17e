"""An order the shop places from a shopper's message is accepted at once: the shop
confirmed it with the shopper, so there is no second step in the admin, no alert to the
shop and no "accepted" text on top of the reply that says it is placed."""

import pytest

from marketplace.messaging.models import OutboundMessage
from marketplace.retail import services
from marketplace.retail.models import RetailOrder
from tests.checkout.builders import pay_on_delivery
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)

from .test_by_message import SHOPPER, order_request, place, texting  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_order_placed_from_a_message_is_accepted_at_once(
    order_request, channel_ngn, django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(order_request, pay_on_delivery(channel_ngn))
    retail = RetailOrder.objects.get(order=order)
    assert retail.status == RetailOrder.ACCEPTED
    order.refresh_from_db()
    assert order.status == "Processing"
    to_shopper = list(OutboundMessage.objects.filter(to=SHOPPER).values_list("key", flat=True))
    # The request's reply, the placed text (with the delivery code): no "accepted" on top.
    assert f"retail-order:{retail.pk}:placed:shopper" in to_shopper
    assert f"retail-order:{retail.pk}:accepted:shopper" not in to_shopper
    assert not OutboundMessage.objects.filter(key__endswith=":placed:shop").exists()
    # The shop goes on with the delivery, the shopper's code closes it.
    with django_capture_on_commit_callbacks(execute=True):
        services.retail_order_out_for_delivery(retail)
        services.retail_order_deliver(retail, retail.delivery_code)
    assert RetailOrder.objects.get(pk=retail.pk).status == RetailOrder.DELIVERED

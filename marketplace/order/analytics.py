"""
Oscar's sales counters (``analytics.ProductRecord``), counted by a task after commit.

Oscar counts a basket addition and each line of a placed order with an UPDATE of the
product's counter row, in the request: for an order, inside the order transaction, so
in a flash sale every checkout of the same product queued on that row's lock until
the previous order had committed (and the place-order POST read the order's lines
back for it). The same counts are made by ``tasks.record_*``, queued once the order
(or the basket line) is committed; a counter is a statistic, nothing waits for it: queued ``robust``, so a broker that
is down is logged, never a failed add-to-basket or an order the shopper does not see.
"""

from django.db import transaction
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.order.signals import order_placed


def _basket_addition(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    from .tasks import record_basket_addition

    transaction.on_commit(lambda: record_basket_addition.delay(product.pk), robust=True)


def _order_placed(sender, order, user, **kwargs):
    if kwargs.get("raw", False):
        return
    from .tasks import record_order_placed

    user_id = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(lambda: record_order_placed.delay(order.pk, user_id), robust=True)


def connect() -> None:
    """Oscar's receivers off, ours (which queue the tasks) on. Called once, from ``apps``."""
    basket_addition.disconnect(oscar_receivers.receive_basket_addition)
    order_placed.disconnect(oscar_receivers.receive_order_placed)
    basket_addition.connect(_basket_addition, dispatch_uid="marketplace.order.analytics.basket")
    order_placed.connect(_order_placed, dispatch_uid="marketplace.order.analytics.order")

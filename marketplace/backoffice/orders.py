"""Order status moves made in the back office, audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.order import statuses
from marketplace.order.models import Order
from marketplace.order.services import order_cancel

from . import audit
from .models import AuditEntry
from .scopes import order_scope


def order_status_change(*, order: Order, status: str, actor) -> Order:
    """Move ``order`` to ``status`` (Oscar's pipeline decides what is allowed).

    Cancelling goes through the order service, which gives the stock back;
    every move is kept in the order's status history and in the audit trail.
    """
    old = order.status
    if status == old:
        return order
    if status == statuses.CANCELLED:
        order = order_cancel(
            order=order,
            reason=_("Cancelled in the back office by %(user)s.") % {"user": actor.get_username()},
        )
    else:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            order.set_status(status)
    audit.record(
        order, AuditEntry.CHANGED, {"status": [old, order.status]}, actor=actor,
        scope=order_scope(order),
    )
    return order

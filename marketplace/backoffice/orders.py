"""Order status moves made in the back office, audited."""

from django.utils.translation import gettext as _

from marketplace.order import statuses
from marketplace.order.models import Order
from marketplace.payments.transitions import order_move

from . import audit
from .models import AuditEntry
from .scopes import order_scope


def order_status_change(*, order: Order, status: str, actor) -> Order:
    """Move ``order`` to ``status`` as an operator may (``statuses.MoveRefused`` otherwise).

    The move goes through the one order-and-payment service, which keeps the
    order's status history and releases or consumes its stock; it is also
    recorded in the audit trail.
    """
    old = order.status
    if status == old:
        return order
    note = ""
    if status == statuses.CANCELLED:
        note = _("Cancelled in the back office by %(user)s.") % {"user": actor.get_username()}
    order = order_move(order=order, status=status, note=note, by_operator=True)
    audit.record(
        order, AuditEntry.CHANGED, {"status": [old, order.status]}, actor=actor,
        scope=order_scope(order),
    )
    return order

"""
Moving an order and its payment together: the one service that changes an order's status.

The rules are ``marketplace.order.statuses`` (pure); this module applies them.
Every move goes through here: the back office (``order_status_change``,
audited), a shopper or operator cancelling, a provider's notification, the expiry of a payment. Rows are
locked payment first, then order, everywhere, so a notification, the expiry
and an operator acting on the same order never interleave or deadlock; the
stock a move releases or consumes is written in the same transaction, once,
because only the one move that changes the status does it.

Dependencies point one way: payments uses the order app (its rules, models and
stock), the order app never imports payments (``order_place`` is handed the
payment option and calls its methods).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.backoffice import audit
from marketplace.backoffice.models import AuditEntry
from marketplace.backoffice.scopes import order_scope
from marketplace.order import statuses, stock
from marketplace.order.models import Order, stock_quantities

from .models import Payment

logger = logging.getLogger(__name__)

MoveRefused = statuses.MoveRefused


def payment_finish(payment: Payment, status: str, now=None) -> None:
    """Record a payment's final status (the caller holds its row lock)."""
    payment.status = status
    payment.completed_at = now or timezone.now()
    payment.save(update_fields=["status", "completed_at"])


def _lock_pending_payments(order_id: int) -> list[Payment]:
    return list(
        Payment.objects.select_for_update().filter(order_id=order_id, status=Payment.Status.PENDING)
        .order_by("pk")
    )


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _quantities(order: Order) -> list[tuple[int, int]]:
    return stock_quantities(order.lines.all())


def _apply(order: Order, move: statuses.Move, note: str) -> None:
    """Set the status (Oscar keeps the history), then the stock it moves. Rows are locked."""
    order.set_status(move.new)
    if note:
        order.notes.create(note_type="System", message=note)
    if move.releases_stock:
        short = stock.release(_quantities(order))
        if short:
            logger.error("Order %s cancelled but listings %s held less allocated stock than it",
                         order.number, short)
    if move.consumes_stock:
        short = stock.consume(_quantities(order))
        if short:
            logger.error("Order %s shipped but listings %s had less stock or allocation than it: "
                         "count them", order.number, short)


def order_move(*, order: Order, status: str, note: str = "", by_operator: bool = False, now=None) -> Order:
    """Move ``order`` to ``status`` (``MoveRefused`` if the rules do not allow it).

    Moving to where the order already is changes nothing, so a repeated ship or
    cancel neither consumes nor releases stock twice. Cancelling fails the
    order's pending payment; a provider confirming it later is logged for a refund.
    """
    with transaction.atomic():
        pending = _lock_pending_payments(order.pk)
        locked = _lock_order(order.pk)
        if locked.status == status:
            return locked
        move = statuses.move(locked.status, status, by_operator=by_operator)
        if move.voids_payment:
            for payment in pending:
                payment_finish(payment, Payment.Status.FAILED, now)
        _apply(locked, move, note)
    return locked


def order_cancel(*, order: Order, reason: str, by_operator: bool = False) -> Order:
    """Cancel an order and give its stock back; an order already cancelled stays as it is."""
    return order_move(order=order, status=statuses.CANCELLED, note=reason, by_operator=by_operator)


def order_status_change(*, order: Order, status: str, actor) -> Order:
    """An operator moves ``order`` to ``status`` in the back office (``MoveRefused`` otherwise).

    Kept in the order's status history and in the audit trail.
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


def order_follow_payment(payment: Payment, note: str) -> Order:
    """The payment (locked by the caller, now final) decides its order's status, if it still can.

    An order that no longer awaits this payment (paid, shipped, cancelled) is
    left where it is, and logged: never a cancelled shipment, never an error.
    """
    order = _lock_order(payment.order_id)
    target = statuses.after_payment(order.status, payment.status)
    if target is None:
        log = logger.error if payment.status == Payment.Status.SUCCEEDED else logger.warning
        log("Payment %s is %s but order %s is %s: order left as it is%s",
            payment.reference, payment.status, order.number, order.status,
            " (money taken for an order not awaiting it: refund or reopen it)"
            if payment.status == Payment.Status.SUCCEEDED else "")
        return order
    _apply(order, statuses.move(order.status, target), note)
    return order

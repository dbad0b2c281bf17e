"""
Order statuses, payment statuses, and the moves allowed between them: pure rules.

An order and its online payment move together, so their rules live here
together; ``marketplace.payments.transitions`` is the one service that applies
them (locking the payment, then the order). Nothing else sets an order's status.

- The provider decides whether an order awaiting payment is paid: an operator
  can only cancel it (which voids the payment), never mark it paid.
- A payment that fails or expires cancels its order only while the order still
  awaits that payment; an order that has moved on stays where it is.
- Shipping consumes the allocated stock; cancelling before shipping releases
  it. Each happens once, with the one move that does it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PENDING = "Pending"  # pay on delivery: to be prepared and delivered
AWAITING_PAYMENT = "Awaiting payment"  # paid online; the provider has not confirmed yet
PAID = "Paid"
PROCESSING = "Processing"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELLED = "Cancelled"

LABELS = {
    PENDING: _("Pending"),
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAID: _("Paid"),
    PROCESSING: _("Processing"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    CANCELLED: _("Cancelled"),
}

# Every move an order can make, whoever makes it. Settings hand it to Oscar as
# OSCAR_ORDER_STATUS_PIPELINE, so Oscar's own ``set_status`` agrees.
PIPELINE = {
    PENDING: (PROCESSING, CANCELLED),
    AWAITING_PAYMENT: (PAID, CANCELLED),
    PAID: (PROCESSING, CANCELLED),
    PROCESSING: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}

# Cancelling from these gives the allocated stock back; later, it has left the warehouse.
RELEASES_STOCK_ON_CANCEL = frozenset({PENDING, AWAITING_PAYMENT, PAID, PROCESSING})

# Payment statuses (the values of ``payments.models.PaymentStatus``).
PAYMENT_PENDING = "pending"
PAYMENT_SUCCEEDED = "succeeded"
PAYMENT_FAILED = "failed"
PAYMENT_EXPIRED = "expired"


def initial_status(*, pays_online: bool) -> str:
    """The status an order is placed in."""
    return AWAITING_PAYMENT if pays_online else PENDING


def operator_moves(status: str) -> tuple[str, ...]:
    """The statuses a back-office user may move an order in ``status`` to."""
    if status == AWAITING_PAYMENT:
        return (CANCELLED,)  # paid is the provider's word, not an operator's
    return PIPELINE.get(status, ())


@dataclass(frozen=True)
class Move:
    """What moving an order from ``old`` to ``new`` involves."""

    old: str
    new: str
    releases_stock: bool
    consumes_stock: bool
    voids_payment: bool


class MoveRefused(Exception):
    """The order cannot make this move from its current status."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        super().__init__(f"{old} -> {new}")


def move(old: str, new: str, *, by_operator: bool = False) -> Move:
    """The move ``old`` → ``new``, or ``MoveRefused``."""
    allowed = operator_moves(old) if by_operator else PIPELINE.get(old, ())
    if new not in allowed:
        raise MoveRefused(old, new)
    return Move(
        old=old, new=new,
        releases_stock=new == CANCELLED and old in RELEASES_STOCK_ON_CANCEL,
        consumes_stock=new == SHIPPED,
        voids_payment=new == CANCELLED,
    )


def after_payment(order_status: str, payment_status: str) -> str | None:
    """Where an order goes when its payment ends in ``payment_status``; None: it stays.

    Only an order still awaiting its payment follows it. A late failure or
    expiry never cancels an order that was paid, prepared or shipped, and a late
    success never revives a cancelled one (that money is to be refunded).
    """
    if order_status != AWAITING_PAYMENT:
        return None
    if payment_status == PAYMENT_SUCCEEDED:
        return PAID
    if payment_status in (PAYMENT_FAILED, PAYMENT_EXPIRED):
        return CANCELLED
    return None

"""
What a seller does with its own lines of an order: pure rules.

A seller (or a brand's official store) prepares its lines itself: it accepts
them, packs them and hands them to the carrier. The order's status stays the
country operator's (``statuses``); a line's status says how far its seller has
got. A seller moves a line only forward, one step at a time, and only while
the order is one to prepare: not while it awaits its online payment, and not
once it is cancelled or delivered.
"""

from django.utils.translation import gettext_lazy as _

from . import statuses

NEW = ""  # Oscar's lines start with no status
ACCEPTED = "Accepted"
PACKED = "Packed"
SHIPPED = "Shipped"

LABELS = {
    NEW: _("New"),
    ACCEPTED: _("Accepted"),
    PACKED: _("Packed"),
    SHIPPED: _("Shipped"),
}

NEXT = {NEW: ACCEPTED, ACCEPTED: PACKED, PACKED: SHIPPED}

# Orders whose lines their sellers prepare.
PREPARED_WHILE = frozenset({statuses.PENDING, statuses.PAID, statuses.PROCESSING})


class LineMoveRefused(Exception):
    """The line cannot be moved to that status now."""

    def __init__(self, old: str, new: str, order_status: str):
        self.old, self.new, self.order_status = old, new, order_status
        super().__init__(f"{old or 'new'} -> {new} (order {order_status})")


def seller_moves(line_status: str, order_status: str) -> tuple[str, ...]:
    """The statuses a seller may move a line in ``line_status`` to."""
    if order_status not in PREPARED_WHILE or line_status not in NEXT:
        return ()
    return (NEXT[line_status],)


def check_move(line_status: str, new: str, order_status: str) -> None:
    if new not in seller_moves(line_status, order_status):
        raise LineMoveRefused(line_status, new, order_status)


def label(line_status: str) -> str:
    return str(LABELS.get(line_status, line_status))

"""
Returns as pure rules: who may ask, for what, and the steps a return goes through.

A shopper asks to return units of a delivered product line within the
channel's return window (days after delivery, in the channel's time zone).
Customer service or the line's seller approves or refuses (with a reason); an
approved return is received back, then refunded: the product's units and the
warranty bought with them.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

REQUESTED, APPROVED, REFUSED, RECEIVED = "requested", "approved", "refused", "received"

LABELS = {
    REQUESTED: _("Waiting for a decision"),
    APPROVED: _("Approved: send the item back"),
    REFUSED: _("Refused"),
    RECEIVED: _("Item received: refunded"),
}

PIPELINE = {REQUESTED: (APPROVED, REFUSED), APPROVED: (RECEIVED,), REFUSED: (), RECEIVED: ()}


class ReturnRefused(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def request_problem(*, delivered_on: date | None, today: date, window_days: int, quantity: int,
                    line_quantity: int, already_returned: int, is_product_line: bool, format_day=date.isoformat):
    """Why this return cannot be asked for (a translated message), or None."""
    if not is_product_line:
        return _("A warranty is returned with its product.")
    if delivered_on is None:
        return _("An item can be returned once the order has been delivered.")
    if today > delivered_on + timedelta(days=window_days):
        return _("The return window of this order closed on %(day)s.") % {
            "day": format_day(delivered_on + timedelta(days=window_days))}
    if not 1 <= quantity <= line_quantity - already_returned:
        left = max(line_quantity - already_returned, 0)
        return ngettext("You can return at most %(count)d unit of this item.",
                        "You can return at most %(count)d units of this item.", left) % {"count": left}
    return None


def move(old: str, new: str, *, refusal_reason: str = "") -> None:
    """Allow ``old`` → ``new``, or raise ``ReturnRefused`` saying why not."""
    if new not in PIPELINE.get(old, ()):
        raise ReturnRefused(_("A return cannot go from “%(old)s” to “%(new)s”.")
                            % {"old": LABELS.get(old, old), "new": LABELS.get(new, new)})
    if new == REFUSED and not refusal_reason.strip():
        raise ReturnRefused(_("Say why the return is refused: the shopper is told."))


def refund_amount(*, unit_prices_incl_tax, quantity: int, quantum: Decimal) -> Decimal:
    """What returning ``quantity`` units gives back: each line's unit price (product, its warranty)."""
    total = sum((Decimal(price) * quantity for price in unit_prices_incl_tax), Decimal(0))
    return total.quantize(quantum, rounding=ROUND_HALF_UP)

"""What the shopper is told, in their language, for each answer of admission."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules

REFUSALS = {
    rules.NOT_STARTED: _("This flash sale has not started yet. Come back when the countdown ends."),
    rules.SALE_ENDED: _("This flash sale has ended."),
    rules.SOLD_OUT: _("Sold out: every unit of this flash-sale item has been claimed."),
    rules.NOT_ENOUGH: _("Not enough units are left for that quantity."),
    rules.BAD_QUANTITY: _("Please choose a quantity of at least one."),
}
UNKNOWN_ITEM = _("This flash-sale item does not exist in this country.")
CLAIMS_STOPPED = _(
    "Claims are paused for a moment: we cannot count units safely right now. "
    "Nothing you already claimed is lost; please try again in a minute."
)
EXPIRED = _(
    "Your reservation of “%(title)s” expired and the unit went back to the sale. "
    "Please remove it from your basket."
)
ENDED_BEFORE_ORDER = _("The flash sale of “%(title)s” has ended before your order was placed.")
BUSY = _("So many shoppers are here right now that you are in a queue. This page retries by itself.")


def refusal(code: str, *, per_shopper: int = 1, per_order: int | None = None) -> str:
    if code == rules.SHOPPER_LIMIT:
        return ngettext(
            "You can claim only %(count)d unit of this item in this sale.",
            "You can claim only %(count)d units of this item in this sale.", per_shopper,
        ) % {"count": per_shopper}
    if code == rules.ORDER_LIMIT:
        count = per_order or 1
        return ngettext(
            "At most %(count)d unit of this item per order.",
            "At most %(count)d units of this item per order.", count,
        ) % {"count": count}
    return str(REFUSALS.get(code, REFUSALS[rules.SALE_ENDED]))


def granted(minutes: int) -> str:
    return ngettext(
        "You got it! The unit is reserved for you for %(minutes)d minute: place your order now.",
        "You got it! The unit is reserved for you for %(minutes)d minutes: place your order now.",
        minutes,
    ) % {"minutes": minutes}
PRICE_CHANGED = _("The sale price on your page is not this sale's price. Please reload the page.")

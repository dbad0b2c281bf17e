"""
Flash-sale rules as pure functions over plain values: tested without a database.

The same rules are enforced by the Redis script (``scripts.py``) and by the
conditional UPDATE of the database path (``admission.py``); these functions are
what the back office validates against and what pages read a sale's state from.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from marketplace.channels.money import quantize

# States of a sale at a moment.
DRAFT = "draft"          # not approved yet: never shown, never claimable
UPCOMING = "upcoming"    # approved, before the start: shown with a countdown, regular price
LIVE = "live"            # approved, inside the window: claimable at the sale price
ENDED = "ended"          # after the end, or stopped early: the regular price again

# Why a claim is refused (the messages are in ``messages.py``).
NOT_STARTED = "not_started"
SALE_ENDED = "ended"
SOLD_OUT = "sold_out"
NOT_ENOUGH = "not_enough"
SHOPPER_LIMIT = "shopper_limit"
ORDER_LIMIT = "order_limit"
BAD_QUANTITY = "bad_quantity"


def sale_state(*, approved: bool, stopped: bool, starts_at: datetime, ends_at: datetime,
               moment: datetime) -> str:
    """Where a sale stands at ``moment``: the window is ``[starts_at, ends_at)``."""
    if stopped:
        return ENDED
    if not approved:
        return DRAFT
    if moment < starts_at:
        return UPCOMING
    if moment >= ends_at:
        return ENDED
    return LIVE


@dataclass(frozen=True)
class ItemLimits:
    units: int
    per_shopper: int
    per_order: int | None = None


def claim_refusal(*, state: str, limits: ItemLimits, taken: int, shopper_taken: int,
                  quantity: int) -> str | None:
    """Why a claim of ``quantity`` units is refused, or None when it may be granted.

    ``taken`` counts units reserved (not expired) and ordered; ``shopper_taken`` the
    shopper's own. Checked in this order so that the answer before the start is never
    "sold out", and a shopper at their limit hears about the limit.
    """
    if quantity < 1:
        return BAD_QUANTITY
    if state in (DRAFT, UPCOMING):
        return NOT_STARTED
    if state != LIVE:
        return SALE_ENDED
    if limits.per_order is not None and quantity > limits.per_order:
        return ORDER_LIMIT
    if shopper_taken + quantity > limits.per_shopper:
        return SHOPPER_LIMIT
    left = units_left(units=limits.units, taken=taken)
    if left <= 0:
        return SOLD_OUT
    if quantity > left:
        return NOT_ENOUGH
    return None


def units_left(*, units: int, taken: int) -> int:
    return max(units - taken, 0)


def sale_price_errors(*, sale_price: Decimal, listing_price: Decimal | None, currency: str) -> list[str]:
    """Codes of what is wrong with a sale price: ``precision``, ``not_lower``, ``not_positive``."""
    errors = []
    if not sale_price.is_finite() or sale_price <= 0:
        return ["not_positive"]
    if quantize(sale_price, currency) != sale_price:
        errors.append("precision")
    if listing_price is None or sale_price >= listing_price:
        errors.append("not_lower")
    return errors


def units_errors(*, units: int, free_stock: int, per_shopper: int, per_order: int | None) -> list[str]:
    """Codes of what is wrong with an item's numbers."""
    errors = []
    if units < 1:
        errors.append("no_units")
    elif units > free_stock:
        errors.append("more_than_stock")
    if per_shopper < 1:
        errors.append("per_shopper")
    if per_order is not None and (per_order < 1 or per_order > per_shopper):
        errors.append("per_order")
    return errors


def discount_percent(*, price: Decimal, sale_price: Decimal) -> int:
    """Whole percent off, rounded down (never promise more than the sale gives)."""
    if not price or price <= 0 or sale_price >= price:
        return 0
    return int(((price - sale_price) * 100 / price).to_integral_value(rounding=ROUND_DOWN))


def seconds_until(target: datetime, moment: datetime) -> int:
    return max(int((target - moment).total_seconds()), 0)


def order_limit_refusal(*, ordered: int, per_order: int | None) -> str | None:
    """``ordered`` units of one item in one order (all its lines): within the per-order limit?"""
    if per_order is not None and ordered > per_order:
        return ORDER_LIMIT
    return None

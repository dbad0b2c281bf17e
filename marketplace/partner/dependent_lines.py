"""
Lines that exist only with another line of the same basket or order.

An extended warranty is bought for a product line: its own line, tied to the
product line (``parent_line``), whose quantity follows the product's, which
goes when the product goes, and which takes no stock. The package that sells
such lines (``marketplace.aftersales``) registers a ``DependentLineKind`` at
start-up; the strategy, the basket and the order placement ask the registry,
so none of them imports that package (dependencies point down).
"""

from decimal import Decimal
from typing import Protocol


class DependentLineKind(Protocol):
    def handles(self, line) -> bool:
        """Is this basket line one of this kind's?"""

    def price_excl_tax(self, *, line, parent_line, parent_price, channel) -> Decimal | None:
        """The unit price before tax, from the product line's price; None: not for sale."""

    def title(self, *, line, languages) -> str:
        """The line's name in the shopper's languages (basket, order line, e-mail)."""

    def order_line_created(self, *, basket_line, order_line) -> None:
        """Record what the order line is (inside the order transaction)."""


_kinds: list[DependentLineKind] = []


def register(kind: DependentLineKind) -> None:
    if not any(type(known) is type(kind) for known in _kinds):
        _kinds.append(kind)


def kind_for(line) -> DependentLineKind | None:
    if getattr(line, "parent_line_id", None) is None:
        return None
    return next((kind for kind in _kinds if kind.handles(line)), None)


def parent_of(line):
    """The line's product line among its basket's lines; None when it is not there.

    Never the product line itself wherever it is: Oscar's "save for later" moves a
    line to another basket, and a warranty whose product went there is not for sale
    in this one (it would be priced here and then have no order line to follow).
    """
    for candidate in line.basket.all_lines():
        if candidate.pk == line.parent_line_id:
            return candidate
    return None


def reference(prefix: str, parent_line) -> str:
    """A dependent line's ``line_reference``: its kind's prefix and its product line's id.

    One per kind and product line in a basket (Oscar's unique basket + reference).
    """
    return f"{prefix}-{parent_line.pk}"


def moved_reference(line, parent_line) -> str:
    """``line``'s reference once tied to ``parent_line`` (a basket merge re-ties it)."""
    prefix = line.line_reference.rsplit("-", 1)[0]
    return reference(prefix, parent_line)


def forget(basket) -> None:
    """Drop what the kinds read for ``basket``: the order's locked re-check reads afresh."""
    for kind in _kinds:
        forget_basket = getattr(kind, "forget", None)
        if forget_basket is not None:
            forget_basket(basket)

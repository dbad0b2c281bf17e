"""
A seam for terms decided above this package: a basket line sold on other terms
than its listing's (a flash-sale reservation).

The strategy stays the one place that prices a line: it asks the providers
registered here (``flashsales`` registers one when its app is ready) and, when
one answers, prices the line from the answer with the channel's tax. Partner
never imports the packages above it; they come to it.

A provider is called for every line the strategy prices, so it must answer
``None`` without a query for a line that is not its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class LineTerms:
    """A line's terms: its price before tax and how many units it may hold.

    ``refusal`` (a message for the shopper) says the line can no longer be bought
    on these terms, e.g. a reservation that expired.
    """

    price_excl_tax: Decimal
    quantity: int
    refusal: str = ""
    expires_at: datetime | None = None  # shown at checkout: the time left
    # Its units are allocated on the listing already (held for the event): the order
    # takes them over instead of allocating them again.
    allocated: bool = False


Provider = Callable[..., LineTerms | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def line_terms(*, line, channel, moment: datetime) -> LineTerms | None:
    for provider in _providers:
        terms = provider(line=line, channel=channel, moment=moment)
        if terms is not None:
            return terms
    return None


def allocated_already(*, line, channel, moment: datetime) -> bool:
    """The line's units are held on its listing already (the order must not allocate them)."""
    terms = line_terms(line=line, channel=channel, moment=moment)
    return terms is not None and terms.allocated

"""
Tax rules as pure functions over plain data.

A channel's tax is made of components (Ghana: VAT, NHIL, GETFund), each with
rates that apply from a date. On a given day each component's latest rate that
has started applies; the components are summed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import quantize


@dataclass(frozen=True)
class Rate:
    name: str
    rate: Decimal  # 0.075 for 7.5 %
    starts_on: date


def rates_in_force(rates: Iterable[Rate], on: date) -> list[Rate]:
    """The rate of each component that applies on ``on`` (zero rates dropped)."""
    current: dict[str, Rate] = {}
    for rate in rates:
        if rate.starts_on <= on:
            known = current.get(rate.name)
            if known is None or known.starts_on < rate.starts_on:
                current[rate.name] = rate
    return sorted((r for r in current.values() if r.rate), key=lambda r: r.name)


def total_rate(rates: Iterable[Rate], on: date) -> Decimal:
    return sum((r.rate for r in rates_in_force(rates, on)), Decimal(0))


def tax_on(amount_excl: Decimal, rate: Decimal, currency: str) -> Decimal:
    """Tax due on a tax-exclusive amount, rounded to the currency's unit."""
    return quantize(Decimal(amount_excl) * rate, currency)


def price_parts(amount_excl: Decimal, rate: Decimal, currency: str) -> tuple[Decimal, Decimal]:
    """``(price before tax, tax)`` of a listing's price, as the shopper is charged them.

    The strategy prices every shelf with this, and the back office shows the
    same figure next to the price an admin enters, so the two never differ.
    """
    excl = quantize(Decimal(amount_excl), currency)
    return excl, tax_on(excl, rate, currency)


def breakdown(amount_excl: Decimal, rates: Iterable[Rate], on: date, currency: str):
    """
    Tax per component on ``amount_excl``, as ``[(name, rate, amount)]``.

    Each component is rounded on its own, so the parts add up to what is
    stored per component on an order.
    """
    return [
        (r.name, r.rate, quantize(Decimal(amount_excl) * r.rate, currency))
        for r in rates_in_force(rates, on)
    ]


def split(total_tax: Decimal, rates: Iterable[Rate], on: date, currency: str):
    """
    Share ``total_tax`` among the components in force, in proportion to their rates.

    Returns ``[(name, rate, amount)]`` whose amounts add up to ``total_tax``
    exactly: the rounding remainder goes to the largest component.
    """
    in_force = rates_in_force(rates, on)
    total_rate_ = sum((r.rate for r in in_force), Decimal(0))
    if not in_force or not total_rate_:
        return []
    parts = [(r.name, r.rate, quantize(total_tax * r.rate / total_rate_, currency)) for r in in_force]
    remainder = quantize(total_tax, currency) - sum(amount for _n, _r, amount in parts)
    if remainder:
        largest = max(range(len(parts)), key=lambda i: parts[i][1])
        name, rate, amount = parts[largest]
        parts[largest] = (name, rate, amount + remainder)
    return parts

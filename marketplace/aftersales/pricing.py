"""What a warranty plan costs: pure functions over ``Decimal`` and the currency code."""

from decimal import Decimal

from marketplace.channels.money import quantize

FIXED = "fixed"
PERCENTAGE = "percentage"


def plan_price(*, pricing: str, amount: Decimal, product_price: Decimal, currency: str) -> Decimal:
    """The plan's unit price before tax, in the currency's smallest unit.

    ``product_price`` is the covered product's unit price before tax. A
    percentage is rounded half-up to the currency's precision from CLDR (whole
    francs in XOF); a fixed price is the amount itself, rounded the same way.
    """
    if pricing == FIXED:
        return quantize(amount, currency)
    if pricing == PERCENTAGE:
        return quantize(Decimal(product_price) * Decimal(amount) / Decimal(100), currency)
    raise ValueError(f"unknown pricing: {pricing!r}")

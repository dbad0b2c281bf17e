"""Plan prices: fixed or a percentage of the product's price, rounded per currency (pure)."""

from decimal import Decimal

import pytest

from marketplace.aftersales.pricing import FIXED, PERCENTAGE, plan_price


@pytest.mark.parametrize(
    ("currency", "product_price", "percent", "expected"),
    [
        ("NGN", "150000.00", "8", Decimal("12000.00")),
        ("NGN", "123456.78", "7.5", Decimal("9259.26")),  # 9259.2585 rounds half-up
        ("KES", "19999.99", "10", Decimal("2000.00")),
        ("XOF", "99995", "7.5", Decimal("7500")),  # 7499.625: whole francs
        ("XOF", "100010", "12.5", Decimal("12501")),  # 12501.25
        ("EGP", "4000.00", "0", Decimal("0.00")),
    ],
)
def test_a_percentage_is_rounded_to_the_currency(currency, product_price, percent, expected):
    price = plan_price(pricing=PERCENTAGE, amount=Decimal(percent), product_price=Decimal(product_price),
                       currency=currency)
    assert price == expected
    assert price.as_tuple().exponent == expected.as_tuple().exponent


def test_xof_has_no_minor_units():
    assert plan_price(pricing=PERCENTAGE, amount=Decimal("5"), product_price=Decimal("10001"),
                      currency="XOF") == Decimal("500")
    assert str(plan_price(pricing=FIXED, amount=Decimal("15000"), product_price=Decimal("1"),
                          currency="XOF")) == "15000"


def test_a_fixed_price_ignores_the_product_price():
    assert plan_price(pricing=FIXED, amount=Decimal("4999.5"), product_price=Decimal("1"),
                      currency="NGN") == Decimal("4999.50")


def test_an_unknown_pricing_is_refused():
    with pytest.raises(ValueError):
        plan_price(pricing="free", amount=Decimal(1), product_price=Decimal(1), currency="NGN")

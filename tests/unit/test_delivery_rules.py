"""Delivery rules: free threshold, estimates, express cities."""

from decimal import Decimal

from marketplace.delivery import rules


def test_delivery_is_charged_below_the_threshold():
    assert rules.charge(Decimal("2500"), Decimal("50000"), Decimal("49999.99")) == Decimal("2500")


def test_delivery_is_free_from_the_threshold_exactly():
    assert rules.charge(Decimal("2500"), Decimal("50000"), Decimal("50000.00")) == Decimal(0)


def test_no_threshold_means_never_free():
    assert rules.charge(Decimal("2500"), None, Decimal("10000000")) == Decimal("2500")


def test_items_from_abroad_take_longer():
    assert rules.estimate_days(1, 3, 7, ships_from_abroad=False) == (1, 3)
    assert rules.estimate_days(1, 3, 7, ships_from_abroad=True) == (8, 10)


def test_express_serves_listed_cities_ignoring_case_and_spaces():
    assert rules.serves_city(["Lagos", "Abuja"], "  lagos ")
    assert not rules.serves_city(["Lagos", "Abuja"], "Kano")
    assert not rules.serves_city(["Lagos"], "")

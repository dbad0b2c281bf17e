"""Tax rules: components by date, summed; rounding in the currency."""

from datetime import date
from decimal import Decimal

from marketplace.channels.tax import Rate, breakdown, rates_in_force, tax_on, total_rate

GHANA = [
    Rate("VAT", Decimal("0.15"), date(2018, 6, 1)),
    Rate("NHIL", Decimal("0.025"), date(2018, 6, 1)),
    Rate("GETFund", Decimal("0.025"), date(2018, 6, 1)),
]


def test_ghana_sums_its_three_components():
    assert total_rate(GHANA, date(2026, 11, 24)) == Decimal("0.20")


def test_nothing_applies_before_the_first_start_date():
    assert total_rate(GHANA, date(2018, 5, 31)) == Decimal(0)


def test_a_new_rate_replaces_the_old_one_from_its_start_date():
    rates = [
        Rate("VAT", Decimal("0.05"), date(2000, 1, 1)),
        Rate("VAT", Decimal("0.075"), date(2020, 2, 1)),
    ]
    assert total_rate(rates, date(2020, 1, 31)) == Decimal("0.05")
    assert total_rate(rates, date(2020, 2, 1)) == Decimal("0.075")


def test_a_zero_rate_ends_a_component():
    rates = GHANA + [Rate("NHIL", Decimal("0"), date(2027, 1, 1))]
    assert [r.name for r in rates_in_force(rates, date(2027, 1, 1))] == ["GETFund", "VAT"]
    assert total_rate(rates, date(2027, 1, 1)) == Decimal("0.175")


def test_xof_tax_is_whole_francs():
    assert tax_on(Decimal("12712"), Decimal("0.18"), "XOF") == Decimal("2288")


def test_naira_tax_is_rounded_to_kobo():
    assert tax_on(Decimal("120837.21"), Decimal("0.075"), "NGN") == Decimal("9062.79")


def test_breakdown_rounds_each_component_on_its_own():
    parts = breakdown(Decimal("100.03"), GHANA, date(2026, 1, 1), "GHS")
    assert parts == [
        ("GETFund", Decimal("0.025"), Decimal("2.50")),
        ("NHIL", Decimal("0.025"), Decimal("2.50")),
        ("VAT", Decimal("0.15"), Decimal("15.00")),
    ]


def test_split_shares_the_total_by_rate_and_adds_up_exactly():
    from marketplace.channels.tax import split

    parts = split(Decimal("230.01"), GHANA, date(2026, 1, 1), "GHS")

    assert sum(amount for _n, _r, amount in parts) == Decimal("230.01")
    assert dict((n, a) for n, _r, a in parts) == {
        "GETFund": Decimal("28.75"), "NHIL": Decimal("28.75"), "VAT": Decimal("172.51"),
    }


def test_split_in_xof_gives_whole_francs():
    from marketplace.channels.tax import split

    parts = split(Decimal("2288"), [Rate("TVA", Decimal("0.18"), date(2000, 1, 1))], date(2026, 1, 1), "XOF")

    assert parts == [("TVA", Decimal("0.18"), Decimal("2288"))]

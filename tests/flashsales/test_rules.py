"""The flash-sale rules, without a database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from marketplace.flashsales import rules

START = datetime(2026, 12, 2, 12, tzinfo=UTC)
END = START + timedelta(hours=2)
LIMITS = rules.ItemLimits(units=50, per_shopper=1)


def state(moment, approved=True, stopped=False):
    return rules.sale_state(approved=approved, stopped=stopped, starts_at=START, ends_at=END, moment=moment)


def test_a_sale_is_upcoming_live_then_ended_on_the_second():
    assert state(START - timedelta(seconds=1)) == rules.UPCOMING
    assert state(START) == rules.LIVE
    assert state(END - timedelta(microseconds=1)) == rules.LIVE
    assert state(END) == rules.ENDED


def test_an_unapproved_sale_is_a_draft_and_a_stopped_one_has_ended():
    assert state(START, approved=False) == rules.DRAFT
    assert state(START, stopped=True) == rules.ENDED


def test_before_the_start_the_answer_is_never_sold_out():
    assert rules.claim_refusal(state=rules.UPCOMING, limits=LIMITS, taken=50, shopper_taken=0,
                               quantity=1) == rules.NOT_STARTED


@pytest.mark.parametrize(("taken", "mine", "quantity", "limits", "expected"), [
    (0, 0, 1, LIMITS, None),
    (49, 0, 1, LIMITS, None),
    (50, 0, 1, LIMITS, rules.SOLD_OUT),
    (0, 1, 1, LIMITS, rules.SHOPPER_LIMIT),
    (49, 0, 2, rules.ItemLimits(units=50, per_shopper=3), rules.NOT_ENOUGH),
    (0, 0, 3, rules.ItemLimits(units=50, per_shopper=5, per_order=2), rules.ORDER_LIMIT),
    (0, 0, 0, LIMITS, rules.BAD_QUANTITY),
    (0, 0, -1, LIMITS, rules.BAD_QUANTITY),
])
def test_claim_refusals_while_live(taken, mine, quantity, limits, expected):
    assert rules.claim_refusal(state=rules.LIVE, limits=limits, taken=taken, shopper_taken=mine,
                               quantity=quantity) == expected


def test_after_the_end_claims_are_refused_as_ended():
    assert rules.claim_refusal(state=rules.ENDED, limits=LIMITS, taken=0, shopper_taken=0,
                               quantity=1) == rules.SALE_ENDED


@pytest.mark.parametrize(("price", "listing", "currency", "errors"), [
    ("50000.00", "60000", "NGN", []),
    ("50000.005", "60000", "NGN", ["precision"]),
    ("5000.50", "6000", "XOF", ["precision"]),
    ("5000", "6000", "XOF", []),
    ("60000", "60000", "NGN", ["not_lower"]),
    ("0", "60000", "NGN", ["not_positive"]),
    ("NaN", "60000", "NGN", ["not_positive"]),
])
def test_sale_price_is_quantized_and_lower(price, listing, currency, errors):
    assert rules.sale_price_errors(sale_price=Decimal(price), listing_price=Decimal(listing),
                                   currency=currency) == errors


def test_units_never_more_than_free_stock_and_limits_consistent():
    assert rules.units_errors(units=50, free_stock=50, per_shopper=1, per_order=None) == []
    assert rules.units_errors(units=51, free_stock=50, per_shopper=1, per_order=None) == ["more_than_stock"]
    assert rules.units_errors(units=0, free_stock=50, per_shopper=0, per_order=None) == ["no_units", "per_shopper"]
    assert rules.units_errors(units=5, free_stock=50, per_shopper=1, per_order=2) == ["per_order"]


def test_discount_is_rounded_down():
    assert rules.discount_percent(price=Decimal("60000"), sale_price=Decimal("50000")) == 16
    assert rules.discount_percent(price=Decimal("100"), sale_price=Decimal("100")) == 0

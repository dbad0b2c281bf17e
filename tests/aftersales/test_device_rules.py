"""IMEI and serial validation, cover periods: pure rules."""

from datetime import date

import pytest

from marketplace.aftersales import rules


@pytest.mark.parametrize("imei", ["490154203237518", "356938035643809", "35-693803-564380-9", "3569 3803 5643 809"])
def test_a_valid_imei_passes_normalised(imei):
    assert rules.normalise_imei(imei) == imei.replace("-", "").replace(" ", "")


@pytest.mark.parametrize(
    ("imei", "reason"),
    [
        ("490154203237519", "check"),  # last digit wrong
        ("490154203237510", "check"),
        ("49015420323751", "length"),
        ("4901542032375188", "length"),
        ("", "digits"),
        ("49015420323751X", "digits"),
        ("٤٩٠١٥٤٢٠٣٢٣٧٥١٨", "digits"),  # Arabic-Indic digits are not an IMEI's
        ("490154203237518\x00", "digits"),
        (None, "digits"),
    ],
)
def test_a_wrong_imei_says_which_rule_it_broke(imei, reason):
    with pytest.raises(rules.InvalidIdentifier) as refused:
        rules.normalise_imei(imei)
    assert refused.value.reason == reason


def test_the_luhn_check_digit():
    assert rules.luhn_check_digit("49015420323751") == 8
    assert rules.luhn_check_digit("35693803564380") == 9
    assert rules.luhn_check_digit("00000000000000") == 0


@pytest.mark.parametrize("serial", ["SN-12345", "r58m12abcd", "ABCD"])
def test_serial_numbers(serial):
    assert rules.normalise_serial(serial) == serial.upper()


@pytest.mark.parametrize("serial", ["", "AB", "SN 12345", "-ABCD", "Ü1234", "A" * 41])
def test_bad_serial_numbers(serial):
    with pytest.raises(rules.InvalidIdentifier):
        rules.normalise_serial(serial)


def test_cover_starts_when_the_makers_warranty_ends():
    assert rules.cover_period(delivered_on=date(2026, 1, 31), after_months=12, months=12) == (
        date(2027, 1, 31), date(2028, 1, 30)
    )
    # 31 August + 6 months: the end of February.
    assert rules.cover_period(delivered_on=date(2027, 8, 31), after_months=6, months=12) == (
        date(2028, 2, 29), date(2029, 2, 27)
    )


def test_covered_until_the_end_of_the_last_day():
    assert rules.is_covered(ends_on=date(2028, 1, 30), today=date(2028, 1, 30))
    assert not rules.is_covered(ends_on=date(2028, 1, 30), today=date(2028, 1, 31))

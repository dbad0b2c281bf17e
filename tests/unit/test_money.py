"""Money: CLDR precision, half-up rounding and formatting per language *and* country."""

from decimal import Decimal

import pytest

from marketplace.channels import money


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("NGN", 2), ("EGP", 2), ("KES", 2), ("XOF", 0), ("MAD", 2), ("GHS", 2), ("UGX", 0)],
)
def test_precision_comes_from_cldr(currency, digits):
    assert money.currency_precision(currency) == digits


def test_xof_amounts_are_whole_francs_rounded_half_up():
    assert money.quantize(Decimal("1500.50"), "XOF") == Decimal("1501")
    assert money.quantize(Decimal("1500.49"), "XOF") == Decimal("1500")
    assert money.quantize(Decimal("1500.49"), "XOF").as_tuple().exponent == 0


def test_two_digit_currencies_round_half_up_to_the_minor_unit():
    assert money.quantize(Decimal("10.005"), "NGN") == Decimal("10.01")
    assert money.quantize(Decimal("10.004"), "GHS") == Decimal("10.00")


def test_precision_check_rejects_extra_decimals():
    assert money.has_valid_precision(Decimal("1500"), "XOF")
    assert not money.has_valid_precision(Decimal("1500.50"), "XOF")
    assert money.has_valid_precision(Decimal("19.99"), "NGN")


@pytest.mark.parametrize("code", ["ZZZ", "", "NG", "naira", None])
def test_unknown_currency_is_refused(code):
    with pytest.raises(money.UnknownCurrency):
        money.ensure_currency(code)


def test_lower_case_currency_code_is_accepted():
    assert money.ensure_currency("xof") == "XOF"


def test_not_an_amount_is_a_value_error():
    with pytest.raises(ValueError):
        money.quantize("abc", "NGN")


def test_fr_ci_formats_xof_without_decimals():
    text = money.format_money(Decimal("99000"), "XOF", "fr", "CI")
    assert text == "99\u202f000\xa0F\u202fCFA"


def test_the_country_changes_the_format_not_just_the_language():
    # Moroccan Arabic groups with dots and decimals with a comma; plain Arabic does not.
    assert "1.234,50" in money.format_money(Decimal("1234.5"), "MAD", "ar", "MA")
    assert "1,234.50" in money.format_money(Decimal("1234.5"), "MAD", "ar", None)


def test_ar_eg_formats_egyptian_pounds_with_the_arabic_symbol():
    text = money.format_money(Decimal("1715"), "EGP", "ar", "EG")
    assert "ج.م." in text
    assert "1,715.00" in text


def test_en_ng_formats_naira_with_the_naira_sign():
    assert money.format_money(Decimal("129900"), "NGN", "en", "NG") == "₦129,900.00"


def test_sw_ke_formats_shillings():
    assert money.format_money(Decimal("2599"), "KES", "sw", "KE") == "Ksh\xa02,599.00"


def test_unknown_language_country_pair_falls_back_to_the_language():
    # CLDR has no en_CI; formatting must still work for a new channel.
    assert money.babel_locale("en", "CI").territory in (None, "CI")
    assert money.format_money(Decimal("1000"), "XOF", "en", "CI")

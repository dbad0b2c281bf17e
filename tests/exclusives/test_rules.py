"""Exclusivity as pure functions: no database, no clock."""

import datetime as dt
from types import SimpleNamespace

from marketplace.exclusives.rules import (
    Listing,
    Rule,
    conflicts,
    excluding_rule,
    governing_rule,
)

START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)

FAMILY, VARIANT, LATER_VARIANT, OTHER_PRODUCT = 10, 11, 12, 20
STORE, OTHER_SELLER = 1, 2
NG, KE = 100, 200

RULE = Rule(pk=1, product_id=FAMILY, store_id=STORE, channel_ids=frozenset({NG}), starts_at=START, ends_at=END)
OPEN = Rule(pk=2, product_id=FAMILY, store_id=STORE, channel_ids=frozenset({NG}), starts_at=START)


def is_excluded(listing, rules, moment):
    return excluding_rule(listing, rules, moment) is not None


def other_sellers(product_id=VARIANT, parent_id=FAMILY, channel_id=NG):
    return Listing(product_id=product_id, parent_id=parent_id, seller_id=OTHER_SELLER, channel_id=channel_id)


def test_enforced_exactly_at_the_start():
    assert is_excluded(other_sellers(), [RULE], START)


def test_not_enforced_one_second_before_the_start():
    assert not is_excluded(other_sellers(), [RULE], START - SECOND)


def test_not_enforced_exactly_at_the_end():
    assert is_excluded(other_sellers(), [RULE], END - SECOND)
    assert not is_excluded(other_sellers(), [RULE], END)


def test_an_open_end_never_ends():
    assert is_excluded(other_sellers(), [OPEN], START + dt.timedelta(days=3650))


def test_a_variant_added_after_the_rule_is_covered_through_its_family():
    assert is_excluded(other_sellers(product_id=LATER_VARIANT), [RULE], START)


def test_a_standalone_product_rule_covers_that_product():
    rule = Rule(pk=3, product_id=OTHER_PRODUCT, store_id=STORE, channel_ids=frozenset({NG}), starts_at=START)
    assert is_excluded(other_sellers(product_id=OTHER_PRODUCT, parent_id=None), [rule], START)
    assert not is_excluded(other_sellers(), [rule], START)


def test_a_channel_the_rule_does_not_cover_is_free():
    assert not is_excluded(other_sellers(channel_id=KE), [RULE], START)


def test_the_exclusive_store_itself_is_never_excluded():
    own = Listing(product_id=VARIANT, parent_id=FAMILY, seller_id=STORE, channel_id=NG)
    assert not is_excluded(own, [RULE], START)
    assert governing_rule(product_id=VARIANT, parent_id=FAMILY, channel_id=NG, rules=[RULE], moment=START) == RULE


def test_the_excluding_rule_is_named():
    assert excluding_rule(other_sellers(), [OPEN], START) == OPEN


def test_overlapping_rules_of_different_stores_conflict():
    other = Rule(pk=None, product_id=FAMILY, store_id=OTHER_SELLER, channel_ids=frozenset({NG, KE}),
                 starts_at=END - SECOND)
    assert conflicts(other, [RULE]) == [RULE]


def test_back_to_back_windows_same_store_or_other_channel_do_not_conflict():
    after = Rule(pk=None, product_id=FAMILY, store_id=OTHER_SELLER, channel_ids=frozenset({NG}), starts_at=END)
    same_store = Rule(pk=None, product_id=FAMILY, store_id=STORE, channel_ids=frozenset({NG}), starts_at=START)
    elsewhere = Rule(pk=None, product_id=FAMILY, store_id=OTHER_SELLER, channel_ids=frozenset({KE}), starts_at=START)
    assert conflicts(after, [RULE]) == []
    assert conflicts(same_store, [RULE]) == []
    assert conflicts(elsewhere, [RULE]) == []


def test_a_listing_is_built_from_a_stock_record_with_its_family():
    variant = SimpleNamespace(pk=VARIANT, parent_id=FAMILY)
    record = SimpleNamespace(product=variant, partner_id=OTHER_SELLER, channel_id=NG)

    assert Listing.from_stockrecord(record) == other_sellers()
    assert Listing.from_stockrecord(record, product=variant) == other_sellers()
    assert Listing.of(variant, seller_id=OTHER_SELLER, channel_id=NG) == other_sellers()


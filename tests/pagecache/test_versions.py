"""The page versions: bumped now and again after the commit, never back to an old value."""

import pytest
from django.core.cache import cache

from marketplace.pagecache import versions

pytestmark = pytest.mark.django_db


def test_a_change_bumps_again_once_committed(shop, django_capture_on_commit_callbacks):
    # A page rendered between the change and the commit shows the state before it:
    # the bump after the commit must leave it behind too.
    channel = shop.listings["ng"].channel
    before = versions.page_version(channel)
    listing = shop.listings["ng"]
    listing.price += 1
    with django_capture_on_commit_callbacks() as callbacks:
        listing.save()
    during = versions.page_version(channel)

    for callback in callbacks:
        callback()

    assert len({before, during, versions.page_version(channel)}) == 3


def test_a_listing_change_leaves_other_channels_versions_alone(shop):
    ng, gh = shop.listings["ng"].channel, shop.listings["gh"].channel
    gh_before, ng_before = versions.page_version(gh), versions.page_version(ng)

    shop.listings["ng"].save()

    assert versions.page_version(gh) == gh_before
    assert versions.page_version(ng) != ng_before


def test_a_token_lost_from_the_cache_comes_back_with_a_new_value(shop):
    channel = shop.listings["ng"].channel
    before = versions.page_version(channel)

    cache.clear()

    assert versions.page_version(channel) != before


def test_a_listing_moved_to_another_channel_bumps_both(shop):
    ng, gh = shop.listings["ng"].channel, shop.listings["gh"].channel
    listing = shop.seller_listing
    ng_before, gh_before = versions.page_version(ng), versions.page_version(gh)

    listing.channel = gh
    listing.save()

    assert versions.page_version(ng) != ng_before and versions.page_version(gh) != gh_before


def test_several_tokens_move_in_one_redis_round_trip(shop, monkeypatch):
    from tests.rediscount import counting_redis, needs_redis

    needs_redis()
    ng, gh = shop.listings["ng"].channel, shop.listings["gh"].channel
    before = {channel: versions.page_version(channel) for channel in (ng, gh)}
    cache.delete(versions._token_key(gh.pk))  # a missing token is started, then moved
    with counting_redis(monkeypatch) as counted:
        versions._bump_now([ng.pk, gh.pk, versions.GLOBAL])
    assert counted.round_trips == 1, counted.commands
    assert all(versions.page_version(channel) != before[channel] for channel in (ng, gh))

"""Exclusives and the listings they suspend, explained to each role that sees them."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from marketplace.backoffice.dates import local_datetime
from marketplace.exclusives.models import ListingSuspension
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(world):
    """Lagos Gadgets Hub's Redmi Go variant in NG, suspended by Mi's rule (ending in 30 days)."""
    rule = world.rule_ng
    rule.ends_at = timezone.now() + timedelta(days=30)
    rule.save()
    variant = factories.product("Redmi Go 1GB", parent=world.redmi_go)
    listing = factories.listing(variant, world.lagos, world.ng, "50000.00")
    listing.is_live = False
    listing.save()
    ListingSuspension.objects.create(listing=listing, rule=rule)
    return listing


def test_the_seller_reads_why_its_listing_is_off_sale_and_until_when(world, as_role, suspended):
    client = as_role("seller")
    until = local_datetime(world.rule_ng.ends_at, world.ng)

    listing_page = client.get(f"/admin/partner/stockrecord/{suspended.pk}/change/").content.decode()
    change_list = client.get("/admin/partner/stockrecord/").content.decode()

    for content in (listing_page, change_list):
        assert "Off sale: Xiaomi Official Store sells this product exclusively here" in content
        assert until in content.replace("&nbsp;", "\u00a0")


def test_the_brand_manager_reads_the_suspended_listing_without_a_dead_link(world, as_role, suspended):
    content = as_role("brand").get(f"/admin/exclusives/exclusiverule/{world.rule_ng.pk}/change/").content.decode()

    assert "Redmi Go 1GB by Lagos Gadgets Hub in Nigeria (NGN)" in content
    assert f"/admin/partner/stockrecord/{suspended.pk}/" not in content
    # Read only for a brand manager: no hint about filling in a field.
    assert "Leave empty" not in content
    assert "the marketplace (set up with the shop)" in content


def test_rule_windows_read_in_the_admins_language_in_each_countrys_time(world, as_role):
    client = as_role("channel")
    client.cookies["django_language"] = "fr"

    content = client.get(f"/admin/exclusives/exclusiverule/{world.rule_ng.pk}/change/").content.decode()

    with translation.override("fr"):
        starts = local_datetime(world.rule_ng.starts_at, world.ng)
    assert starts.endswith("(heure : Nigeria)")
    assert starts in content

"""seed_demo's back-office accounts: each signs in and sees its own part of the marketplace."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from oscar.apps.catalogue.models import Product

from marketplace.partner.models import Partner, StockRecord
from marketplace.stores.models import FeaturedProduct, ProductBrand, StoreProfile

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-demo"


def listings_seen(client):
    response = client.get("/admin/partner/stockrecord/")
    assert response.status_code == 200
    return response.context_data["cl"].queryset


def test_the_demo_accounts_work_their_own_part(client, launch_channels):
    call_command("seed_demo", "--password", PASSWORD, verbosity=0)
    call_command("seed_demo", "--password", PASSWORD, verbosity=0)  # idempotent

    accounts = ["xiaomi.manager", "tecno.manager", "ng.operator", "eg.operator", "lagos.seller"]
    for username in accounts:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None and user.is_staff and not user.is_superuser, username
        assert user.memberships.count() == 1, username

    client.login(username="xiaomi.manager", password=PASSWORD)
    assert set(listings_seen(client).values_list("partner__slug", flat=True)) == {"mi-official-store"}
    client.login(username="ng.operator", password=PASSWORD)
    assert set(listings_seen(client).values_list("channel__country", flat=True)) == {"NG"}
    client.login(username="lagos.seller", password=PASSWORD)
    seen = listings_seen(client)
    assert set(seen.values_list("partner__slug", flat=True)) == {"lagos-gadgets-hub"}
    assert seen.count() == StockRecord.objects.filter(partner__slug="lagos-gadgets-hub").count()

    # Every parent or standalone product has its brand; official stores have pages.
    assert ProductBrand.objects.exists()
    assert not Product.objects.filter(parent=None, brand_link=None).exists()
    for store in Partner.objects.filter(is_official_store=True):
        profile = StoreProfile.objects.get(partner=store)
        assert profile.logo and profile.banner
        assert set(profile.translations.values_list("language", flat=True)) == {"fr", "ar", "sw"}
    assert FeaturedProduct.objects.filter(channel=launch_channels["ng"]).count() >= 4

    # The store pages of the demo work in every channel.
    for code in launch_channels:
        assert client.get(f"/{code}/store/mi-official-store/").status_code == 200

"""
The parts of a page every shopper of a channel and language sees alike (the menu's
categories, the home page's categories, official stores and banner) are read once per
version of the channel's pages and kept in the process
(``pagecache.versions.memo_per_page_version``). With the page cache off (every page
rendered, as for a signed-in shopper's page, which is never shared) a change still
shows on the very next request: each kind of change moves the version they are kept under.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.localisation.models import CategoryTranslation
from marketplace.pagecache import versions
from marketplace.partner.models import StockRecord
from marketplace.stores.models import HeroBanner

from .conftest import fill
from .test_invalidation import html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.PAGECACHE_ENABLED = False


def test_a_menu_category_renamed_shows_on_the_next_render_in_its_languages(shop, client):
    fill(client, [shop.product_url("ci"), shop.product_url("ma"), shop.product_url("ng")])
    assert "Téléphones" in html(client, shop.product_url("ci"))

    translation = CategoryTranslation.objects.get(parent=shop.phones, language="fr")
    translation.name = "Smartphones"
    translation.save()

    for prefix in ("ci", "ma"):
        page = html(client, shop.product_url(prefix))
        assert "Smartphones" in page and "Téléphones" not in page, prefix
    assert "Smartphones" not in html(client, shop.product_url("ng"))


def test_a_category_hidden_leaves_the_menu_on_the_next_render(shop, client):
    assert f"phones_{shop.phones.pk}/" in html(client, "/ng/")

    shop.phones.is_public = False
    shop.phones.save()

    page = html(client, "/ng/")
    assert f"phones_{shop.phones.pk}/" not in page


def test_a_change_made_by_another_process_shows_on_the_next_render(shop, client):
    # A worker or another web process writes with a queryset UPDATE (no signal here)
    # and bumps the shared token, as order.stock and the services do: the next render
    # in this process reads afresh.
    html(client, "/ci/")
    CategoryTranslation.objects.filter(parent=shop.phones, language="fr").update(name="Mobiles")
    assert "Mobiles" not in html(client, "/ci/")  # nothing said the version moved

    versions.bump()

    assert "Mobiles" in html(client, "/ci/")


def test_a_banner_shows_at_its_start_and_goes_at_its_end_with_no_write(shop, client, monkeypatch):
    channel = shop.listings["ng"].channel
    starts = timezone.now() + timedelta(hours=1)
    HeroBanner.objects.create(channel=channel, title="Mi Fan Festival", starts_at=starts,
                              ends_at=starts + timedelta(hours=2))
    assert "Mi Fan Festival" not in html(client, "/ng/")

    monkeypatch.setattr(timezone, "now", lambda: starts + timedelta(seconds=1))
    assert "Mi Fan Festival" in html(client, "/ng/")

    monkeypatch.setattr(timezone, "now", lambda: starts + timedelta(hours=2, seconds=1))
    assert "Mi Fan Festival" not in html(client, "/ng/")


def test_an_official_store_no_longer_selling_leaves_the_home_page(shop, client):
    StockRecord.objects.filter(partner=shop.store).exclude(channel__country="NG").delete()
    assert f"/ng/store/{shop.store.slug}/" in html(client, "/ng/")

    for listing in StockRecord.objects.filter(partner=shop.store, channel__country="NG"):
        listing.delete()

    assert f"/ng/store/{shop.store.slug}/" not in html(client, "/ng/")

"""
Nothing stale: every kind of change shows on the very next request, in every channel and
language it touches, whether made in the admin, at checkout or by the beat task; pages
of channels it does not touch stay cached.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.exclusives.models import ExclusiveRule
from marketplace.exclusives.services import exclusives_sync
from marketplace.order import stock
from marketplace.partner.models import StockRecord
from tests import factories
from tests.exclusives.test_admin import RULES, rule_post

from .admin_forms import admin_change
from .conftest import fill

pytestmark = pytest.mark.django_db

LISTING = "/admin/partner/stockrecord/{pk}/change/"


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_pages_are_served_from_the_cache_until_a_change(shop, client, renders):
    fill(client, shop.urls("ng", "ci"))
    renders.clear()

    fill(client, shop.urls("ng", "ci"))

    assert renders == []


def test_a_price_changed_in_the_admin_shows_at_once_in_its_channel_only(shop, client, superuser_client, renders):
    fill(client, shop.urls("ng", "gh", "ke", "ke/sw"))
    assert "161,250" in html(client, shop.category_url("ng"))  # 150,000 + VAT 7.5%
    renders.clear()

    admin_change(superuser_client, LISTING.format(pk=shop.listings["ng"].pk), price="125000.00")

    for url in shop.urls("ng"):
        page = html(client, url)
        assert "134,375" in page and "161,250" not in page, url
    assert sorted(renders) == sorted(shop.urls("ng"))
    fill(client, shop.urls("gh", "ke", "ke/sw"))
    assert sorted(renders) == sorted(shop.urls("ng"))  # other channels: still cached


def test_stock_changed_in_the_admin_shows_at_once(shop, client, superuser_client, renders):
    fill(client, shop.urls("ng", "gh"))
    assert "10 available" in html(client, shop.product_url("ng"))
    renders.clear()

    admin_change(superuser_client, LISTING.format(pk=shop.listings["ng"].pk), num_in_stock="3")

    assert "3 available" in html(client, shop.product_url("ng"))
    fill(client, shop.urls("gh"))
    assert renders == [shop.product_url("ng")]


def test_a_checkout_allocation_shows_at_once(shop, client, renders):
    # The allocation is a queryset UPDATE (no signal): order.stock bumps the product's
    # stock token itself; the page keeps its render, its units left are filled anew.
    fill(client, shop.urls("ng", "gh"))
    renders.clear()

    with transaction.atomic():
        stock.allocate([(shop.listings["ng"].pk, 2)])

    assert "8 available" in html(client, shop.product_url("ng"))
    fill(client, shop.urls("gh"))
    assert renders == []

    stock.release([(shop.listings["ng"].pk, 2)])  # an order cancelled
    assert "10 available" in html(client, shop.product_url("ng"))
    stock.allocate([(shop.listings["ng"].pk, 1)])
    stock.consume([(shop.listings["ng"].pk, 1)])  # and one shipped
    assert "9 available" in html(client, shop.product_url("ng"))


def test_a_listing_taken_off_sale_and_back_shows_at_once(shop, client, superuser_client, renders):
    fill(client, shop.urls("ng", "gh"))
    url = LISTING.format(pk=shop.listings["ng"].pk)

    admin_change(superuser_client, url, is_live=None)

    page = html(client, shop.product_url("ng"))
    assert "Lagos Gadgets Hub" in page and "166,625" in page  # the other seller's, 155,000 + VAT
    assert "166,625" in html(client, shop.category_url("ng"))

    admin_change(superuser_client, url, is_live="on")

    assert "161,250" in html(client, shop.category_url("ng"))
    renders.clear()
    fill(client, shop.urls("gh"))
    assert renders == []


def test_a_product_translation_changed_in_the_admin_shows_in_its_language(shop, client, superuser_client):
    fill(client, shop.urls("ng", "ci", "ma"))
    assert "Redmi Note 13 (France)" in html(client, shop.category_url("ci"))

    url = f"/admin/catalogue/product/{shop.phone.pk}/change/"
    page = superuser_client.get(url).content.decode()
    index = page[: page.index('value="Redmi Note 13 (France)"')].rsplit('name="translations-', 1)[1].split("-")[0]
    admin_change(superuser_client, url, **{f"translations-{index}-title": "Redmi Note 13 Édition"})

    for prefix in ("ci", "ma"):  # both French channels
        for page_url in shop.urls(prefix):
            assert "Redmi Note 13 Édition" in html(client, page_url), page_url
    assert "Redmi Note 13 Édition" not in html(client, shop.category_url("ng"))


def test_a_category_translation_changed_in_the_admin_shows_in_its_languages(shop, client, superuser_client):
    fill(client, [shop.category_url("ci"), shop.category_url("ke/sw"), shop.category_url("ke")])
    assert "Téléphones" in html(client, shop.category_url("ci"))

    url = f"/admin/catalogue/category/{shop.phones.pk}/change/"
    page = superuser_client.get(url).content.decode()
    index = page[: page.index('value="Téléphones"')].rsplit('name="translations-', 1)[1].split("-")[0]
    admin_change(superuser_client, url, **{f"translations-{index}-name": "Smartphones"})

    assert "Smartphones" in html(client, shop.category_url("ci"))
    assert "Smartphones" in html(client, shop.category_url("ma"))
    assert "Simu" in html(client, shop.category_url("ke/sw"))


def test_an_exclusive_rule_created_and_ended_in_the_admin_shows_at_once(
    shop, client, superuser_client, renders, django_capture_on_commit_callbacks
):
    fill(client, shop.urls("ng", "gh", "ke"))
    assert "Lagos Gadgets Hub" in html(client, shop.product_url("ng"))
    renders.clear()

    start = (timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(RULES + "add/", rule_post(shop.phone, shop.store, [shop.listings["ng"].channel], starts=start))
    assert response.status_code == 302

    page = html(client, shop.product_url("ng"))
    assert "Lagos Gadgets Hub" not in page and "Exclusive on" in page
    fill(client, shop.urls("gh", "ke"))
    assert set(renders) <= set(shop.urls("ng"))  # other channels: still cached

    rule = ExclusiveRule.objects.get(product=shop.phone)
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(RULES, {"action": "end_now", "_selected_action": [rule.pk]})

    page = html(client, shop.product_url("ng"))
    assert "Lagos Gadgets Hub" in page and "Exclusive on" not in page


def test_a_rule_starting_shows_at_its_start_and_after_the_beat_task(shop, client, renders, monkeypatch):
    starts = timezone.now() + timedelta(hours=1)
    rule = ExclusiveRule.objects.create(product=shop.phone, store=shop.store, starts_at=starts, reason="AGR-9")
    rule.channels.set([shop.listings["ng"].channel])
    assert "Lagos Gadgets Hub" in html(client, shop.product_url("ng"))

    # The start passes; nothing is written yet: the page changes all the same.
    later = starts + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = html(client, shop.product_url("ng"))
    assert "Lagos Gadgets Hub" not in page and "Exclusive on" in page
    fill(client, shop.urls("gh"))  # (at the new moment: it may be another day there)
    renders.clear()

    synced = exclusives_sync(moment=later)  # the beat task's service

    assert synced.suspended == 1
    assert not StockRecord.objects.get(pk=shop.seller_listing.pk).is_live
    page = html(client, shop.product_url("ng"))
    assert "Lagos Gadgets Hub" not in page
    assert renders == [shop.product_url("ng")]  # the suspension bumped NG's pages
    fill(client, shop.urls("gh"))
    assert renders == [shop.product_url("ng")]


def test_a_store_renamed_in_the_admin_shows_in_every_channel(shop, client, superuser_client):
    fill(client, shop.urls("ng", "ci", "gh"))
    assert "Xiaomi Official Store" in html(client, shop.product_url("gh"))

    admin_change(superuser_client, f"/admin/partner/partner/{shop.store.pk}/change/", name="Mi Store Africa")

    for prefix in ("ng", "ci", "gh"):
        assert "Mi Store Africa" in html(client, shop.product_url(prefix)), prefix


def _card(page, title):
    """The availability line of ``title``'s card on a list page."""
    start = page.index(title)
    return page[start: page.index("</p>", page.index('class="availability', start))]


def test_an_order_shows_on_its_product_page_and_on_lists_when_sold_out_or_back(
    shop, client, renders, launch_channels
):
    # Issue 10: an allocation bumps its product's stock token, not the channel's: the
    # next request of that product's page counts the units left (filled into the kept
    # page), every page of the channel stays cached; a listing sold out (or back) moves
    # every list showing it.
    other = factories.product("Tecno Spark 20", category=shop.phones)
    factories.listing(other, shop.store, launch_channels["ng"], "90000.00", stock=5)
    other_url = f"/ng/catalogue/{other.slug}_{other.pk}/"
    search_url = "/ng/search/?q=Redmi"
    lists = [shop.category_url("ng"), search_url]
    fill(client, [*shop.urls("ng", "gh"), other_url, search_url])
    renders.clear()

    with transaction.atomic():
        stock.allocate([(shop.listings["ng"].pk, 2)])

    assert "8 available" in html(client, shop.product_url("ng"))
    fill(client, [*lists, other_url, *shop.urls("gh")])
    assert renders == []  # the lists' availability is unchanged; the product page is kept
    for url in lists:
        assert "In stock" in _card(html(client, url), "Redmi Note 13"), url

    with transaction.atomic():
        stock.allocate([(shop.listings["ng"].pk, 8)])  # the last units: sold out

    for url in lists:
        assert "Out of stock" in _card(html(client, url), "Redmi Note 13"), url
    assert "8 available" not in html(client, shop.product_url("ng"))
    renders.clear()
    fill(client, shop.urls("gh"))
    assert renders == []  # other channels: still cached

    stock.release([(shop.listings["ng"].pk, 3)])  # an order cancelled: back in stock

    for url in lists:
        assert "In stock" in _card(html(client, url), "Redmi Note 13"), url
    assert "3 available" in html(client, shop.product_url("ng"))


def test_a_variant_sold_out_shows_on_its_parent_page_at_once(shop, client, launch_channels):
    parent = factories.product("Redmi 13C", category=shop.phones, structure="parent")
    child = factories.product("Redmi 13C 4GB+128GB", parent=parent)
    listing = factories.listing(child, shop.store, launch_channels["ng"], "100000.00", stock=4)
    url = f"/ng/catalogue/{parent.slug}_{parent.pk}/"
    assert 'class="available availability"' in html(client, url)

    with transaction.atomic():
        stock.allocate([(listing.pk, 1)])
    assert 'class="available availability"' in html(client, url)
    with transaction.atomic():
        stock.allocate([(listing.pk, 3)])

    assert 'class="available availability"' not in html(client, url)


def test_units_left_are_filled_in_each_language_and_for_each_offer(shop, client, superuser_client, launch_channels):
    # The units left are holes in the kept page: in the shopper's own language and plural
    # forms, each seller's own count, whoever asks (anonymous or with a session).
    seller = shop.seller_listing
    StockRecord.objects.filter(pk=seller.pk).update(num_in_stock=2)
    with transaction.atomic():
        stock.allocate([(seller.pk, 1)])
    page = html(client, shop.product_url("ng"))
    assert "10 available" in page and "1 available" in page
    assert "pagecache-stock" not in page
    ci = html(client, shop.product_url("ci"))
    assert "pagecache-stock" not in ci and "10" in ci

    with transaction.atomic():
        stock.allocate([(shop.listings["ng"].pk, 3)])
    signed_in = superuser_client.get(shop.product_url("ng")).content.decode()
    assert "7 available" in signed_in and "pagecache-stock" not in signed_in
    assert "7 available" in html(client, shop.product_url("ng"))


def test_a_stock_marker_in_a_sellers_text_is_not_filled(shop, client):
    from marketplace.pagecache import holes

    forged = f"<!--pagecache-stock:0000000000000000:{shop.listings['ng'].pk}-->"
    assert holes.fill_stock(forged, {shop.listings["ng"].pk: 5}, str) == forged
    assert holes.stock_listing_ids(forged) == []

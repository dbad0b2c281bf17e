"""
The roles' main tasks in their second language (issue 15: each role's daily task in two
languages, one of them Arabic; ``test_backoffice_tasks`` holds the first): a seller in
English lists a product and finds last night's order under the right day in its
country's time, a brand manager in Arabic changes a price and its store page, a country
operator in Arabic finds the same order by its local day and moves it on. They assert
what the person sees (labels, currency, time zone) and what the database then holds.
Screenshots under test-artifacts/screenshots/.
"""

import re
from datetime import UTC, datetime

import pytest
from django.utils import translation

from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from marketplace.stores.models import StoreProfile
from tests.backoffice.conftest import world  # noqa: F401  (the back office's world)

from .test_backoffice_tasks import plain, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 23:30 UTC on 14 March: 00:30 on 15 March in Lagos.
LATE = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)


def arabic(text, **values):
    with translation.override("ar"):
        translated = translation.gettext(text)
    assert translated != text, f"not translated: {text}"
    return translated % values if values else translated


def open_day_in_hierarchy(page, live_server, day):
    """Orders → 2026 → March → ``day``, through the date hierarchy's own links."""
    page.goto(f"{live_server.url}/admin/order/order/")
    links = page.locator("nav.toplinks a")
    month = 'nav.toplinks a[href*="date_placed__month=3"]'
    if page.locator(month).count() == 0:  # orders in more than one year: pick the year
        links.and_(page.locator('[href*="date_placed__year=2026"]')).first.click()
        page.wait_for_load_state()
    page.locator(month).first.click()
    page.wait_for_load_state()
    # The days offered are the days as the user's time zone has them.
    assert page.locator('nav.toplinks a[href*="date_placed__day=14&"]').count() == 0
    page.locator(f'nav.toplinks a[href*="date_placed__day={day}&"]').first.click()
    page.wait_for_load_state()


def test_a_seller_lists_a_product_and_finds_last_nights_order_in_english(live_server, world, page, screenshot):  # noqa: F811,E501
    Order.objects.filter(pk=world.order_ng_lagos.pk).update(date_placed=LATE)
    sign_in(page, live_server, "lagos.seller", "en")

    # The header names the seller's one country's time.
    assert page.locator("#admin-time-zone").inner_text().strip() == "Times: Nigeria Time (GMT+01:00)"

    page.goto(f"{live_server.url}/admin/partner/stockrecord/add/")
    # Its own store and its one country, preselected; the price's currency named.
    assert page.locator("#id_partner option").count() == 1
    assert page.locator("#id_channel option").count() == 1
    assert page.locator('label[for="id_price"]').inner_text().startswith("Price before tax (NGN)")
    page.locator(".field-product .select2-selection").click()
    page.locator(".select2-search__field").fill("Redmi Pad")
    page.locator(".select2-results__option", has_text="Redmi Pad").first.click()
    page.fill("#id_partner_sku", "LAGOS-PAD")
    page.fill("#id_price", "240000")
    page.fill("#id_num_in_stock", "4")
    screenshot(page, "backoffice-seller-adds-listing-en")
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/partner/stockrecord/$"))

    listing = StockRecord.objects.get(partner=world.lagos, partner_sku="LAGOS-PAD")
    assert (listing.product, listing.channel, str(listing.price)) == (world.redmi_pad, world.ng, "240000.00")
    row = page.locator("#result_list tbody tr", has_text="LAGOS-PAD")
    assert "₦240,000.00" in plain(row.inner_text())
    assert "₦258,000.00 with VAT 7.5%" in plain(row.inner_text())

    # Last night's order, placed at 00:30 Lagos time, is under 15 March, not the 14th.
    open_day_in_hierarchy(page, live_server, 15)
    screenshot(page, "backoffice-seller-orders-of-the-day-en")
    assert world.order_ng_lagos.number in page.locator("#result_list").inner_text()


def test_a_brand_manager_changes_a_price_and_its_store_page_in_arabic(live_server, world, page, screenshot):  # noqa: F811,E501
    listing = world.mi_ng
    sign_in(page, live_server, "xiaomi.manager", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Xiaomi sells in three countries: the admin's times are UTC, and it says so.
    assert page.locator("#admin-time-zone").inner_text().strip() == arabic("Times: UTC")
    # Its one store has a page already: nothing to add.
    assert "/admin/stores/storeprofile/add/" not in page.content()

    page.goto(f"{live_server.url}/admin/partner/stockrecord/{listing.pk}/change/")
    label = page.locator('label[for="id_price"]').inner_text()
    assert label.startswith(arabic("Price before tax (%(currency)s)", currency="NGN"))
    page.fill("#id_price", "180000")
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/partner/stockrecord/"))
    screenshot(page, "backoffice-brand-price-ar")
    listing.refresh_from_db()
    assert str(listing.price) == "180000.00"

    page.goto(f"{live_server.url}/admin/stores/storeprofile/{world.mi_profile.pk}/change/")
    tagline = page.locator("#id_tagline")
    assert tagline.get_attribute("dir") == "auto"
    assert page.locator('label[for="id_tagline"]').inner_text().startswith(arabic("tagline"))
    tagline.fill("هواتف شاومي الرسمية")
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/stores/storeprofile/"))
    screenshot(page, "backoffice-brand-store-page-ar")
    assert StoreProfile.objects.get(pk=world.mi_profile.pk).tagline == "هواتف شاومي الرسمية"
    # The list shows the Arabic tagline as typed, not reordered by the English page's direction.
    assert "هواتف شاومي الرسمية" in page.locator("#result_list").inner_text()


def test_an_operator_finds_last_nights_order_by_its_local_day_and_moves_it_on_in_arabic(live_server, world, page, screenshot):  # noqa: F811,E501
    order = world.order_ng_lagos
    Order.objects.filter(pk=order.pk).update(date_placed=LATE)
    sign_in(page, live_server, "ng.operator", "ar")
    assert "توقيت نيجيريا" in page.locator("#admin-time-zone").inner_text()

    open_day_in_hierarchy(page, live_server, 15)
    screenshot(page, "backoffice-operator-orders-of-the-day-ar")
    rows = page.locator("#result_list tbody tr")
    assert order.number in page.locator("#result_list").inner_text()
    assert rows.count() == 1

    page.locator("#result_list a", has_text=order.number).click()
    page.wait_for_url(re.compile(rf"/admin/order/order/{order.pk}/change/"))
    content = page.locator("#content").inner_text()
    assert "+2348031234567" in content.replace(" ", "")  # the shopper's phone, for delivery
    options = page.locator('select[name="status"] option')
    moves = [options.nth(i).get_attribute("value") for i in range(options.count())]
    target = next(value for value in moves if value and value != order.status)
    page.select_option('select[name="status"]', target)
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/order/order/"))
    screenshot(page, "backoffice-operator-moves-order-ar")
    order.refresh_from_db()
    assert order.status == target


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_audit_trail_fits_a_1366_pixel_screen(live_server, world, page, screenshot, language):  # noqa: F811
    from marketplace.backoffice import audit

    # A long change with no space to break at, as a pasted link makes one.
    profile = world.mi_profile
    with audit.acting(world.users["brand"]):
        profile.tagline = "https://www.mi.com/ng/official_store_" + "redmi_note_13_pro_5g_" * 5
        profile.save()
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "xiaomi.manager", language)

    page.goto(f"{live_server.url}/admin/backoffice/auditentry/")
    screenshot(page, f"backoffice-audit-1366-{language}")
    changes = page.locator("#result_list td.field-change_summary").first
    assert "redmi_note_13_pro_5g_" in changes.inner_text()
    box = changes.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

"""
Each role's main daily task walked through the admin's own forms in headless
Chromium, in Arabic (mirrored) and in English or French, asserting what the
person sees: labels, currency and tax, the channel's time zone, and the rows
the database then holds. Screenshots under test-artifacts/screenshots/.
"""

import re
from datetime import UTC, datetime

import pytest

from marketplace.backoffice.models import AuditEntry
from marketplace.delivery.models import DeliveryOption
from marketplace.order import line_statuses
from marketplace.order.models import Line, Order
from tests.backoffice.conftest import PASSWORD, world  # noqa: F401  (the back office's world)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/admin/")


def plain(text: str) -> str:
    return re.sub(r"[\s\u202f\u00a0]+", " ", text).strip()


def test_a_seller_accepts_its_lines_in_arabic(live_server, world, page, screenshot):  # noqa: F811
    shared = world.order_shared
    Order.objects.filter(pk=shared.pk).update(date_placed=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    sign_in(page, live_server, "lagos.seller", "ar")

    page.goto(f"{live_server.url}/admin/order/order/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(f'input[name="_selected_action"][value="{shared.pk}"]').check()
    page.select_option('select[name="action"]', "accept_own_lines")
    page.locator('button[name="index"]').click()
    page.wait_for_load_state()
    screenshot(page, "backoffice-seller-accepts-ar")

    assert "عُلِّم بند واحد" in page.locator(".messagelist").inner_text()
    own = Line.objects.get(order=shared, partner=world.lagos)
    other = Line.objects.get(order=shared, partner=world.mi)
    assert (own.status, other.status) == (line_statuses.ACCEPTED, "")

    page.goto(f"{live_server.url}/admin/order/order/{shared.pk}/change/")
    screenshot(page, "backoffice-seller-order-ar")
    content = page.locator("#content").inner_text()
    assert "توقيت نيجيريا" in content  # the channel's time zone, named in Arabic
    assert "مقبول" in content  # its line, accepted
    assert world.mi.name not in content  # the other seller's line stays hidden
    # No status change for a seller: the order's status is the operator's.
    assert page.locator('select[name="status"]').count() == 0


def test_a_brand_manager_changes_a_price_and_sees_what_shoppers_pay(live_server, world, page, screenshot):  # noqa: F811
    listing = world.mi_ng
    sign_in(page, live_server, "xiaomi.manager", "en")

    page.goto(f"{live_server.url}/admin/partner/stockrecord/{listing.pk}/change/")
    assert page.locator('label[for="id_price"]').inner_text().startswith("Price before tax (NGN)")
    assert "Shoppers pay ₦161,250.00 with VAT 7.5%" in plain(page.locator(".form-row.field-price").inner_text())
    page.fill("#id_price", "200000")
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/partner/stockrecord/"))
    screenshot(page, "backoffice-brand-price-en")

    row = page.locator("#result_list tbody tr", has_text=listing.partner_sku)
    assert "₦200,000.00" in row.inner_text()
    assert "₦215,000.00 with VAT 7.5%" in plain(row.inner_text())
    listing.refresh_from_db()
    assert str(listing.price) == "200000.00"

    page.goto(f"{live_server.url}/admin/backoffice/auditentry/")
    assert "₦150,000.00 → ₦200,000.00" in plain(page.locator("#result_list").inner_text())
    assert AuditEntry.objects.filter(object_id=str(listing.pk), changes__has_key="price").exists()


@pytest.mark.parametrize(("language", "label", "express"), [
    ("fr", "Un par ligne (ou séparés par des virgules).", "Livraison express"),
    ("ar", "واحد في كل سطر (أو مفصولة بفواصل).", None),
])
def test_an_operator_adds_express_delivery_with_its_cities(live_server, world, page, screenshot, language, label, express):  # noqa: F811,E501
    sign_in(page, live_server, "ng.operator", language)

    page.goto(f"{live_server.url}/admin/delivery/deliveryoption/add/")
    channel = page.locator("#id_channel")
    # The operator's one country, preselected, named in the admin's language.
    assert channel.locator("option").count() == 1
    assert "(NGN)" in channel.inner_text()
    assert label in page.locator(".form-row.field-cities").inner_text()
    assert page.locator("#id_name").get_attribute("dir") == "auto"
    page.select_option("#id_kind", "express")
    page.fill("#id_name", "Express Lagos")
    page.fill("#id_price", "3000")
    page.fill("#id_cities", "Port Harcourt, Ibadan\nLagos")
    screenshot(page, f"backoffice-operator-express-{language}")
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/delivery/deliveryoption/$"))

    option = DeliveryOption.objects.get(name="Express Lagos")
    assert option.cities == ["Port Harcourt", "Ibadan", "Lagos"]
    assert option.channel == world.ng
    if express:
        assert express in page.locator("#result_list").inner_text()

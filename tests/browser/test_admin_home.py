"""
The admin index as a country operator and a brand manager see it in a browser:
signed in through the admin's form, in Arabic (mirrored) and French, the home's
figures are the database's, and a figure's link opens the list of those rows.
Screenshots under test-artifacts/screenshots/.
"""

import re

import pytest

from marketplace.order.models import Order
from tests.backoffice.conftest import PASSWORD, world  # noqa: F401  (the back office's world)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/admin/")


def figure(page, channel, key, column=0):
    cell = page.locator(f'#home-{channel} tr[data-figure="{key}"] td').nth(column)
    return cell.inner_text().strip(), cell.locator("a")


def test_operator_home_in_arabic_is_mirrored_and_leads_to_the_orders(live_server, world, page, screenshot):  # noqa: F811
    ng = world.ng
    Order.objects.filter(pk=world.order_ng_lagos.pk).update(status="Paid")
    sign_in(page, live_server, "ng.operator", "ar")
    screenshot(page, "admin-home-operator-ar")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#role-home-title").inner_text().strip() == "يومك"
    # Only the operator's country, in Arabic.
    assert page.locator(".role-home-channel").count() == 1
    assert "نيجيريا" in page.locator("#home-ng h2").inner_text()

    placed_today = Order.objects.filter(channel=ng).exclude(status="Cancelled").count()
    orders_today, _link = figure(page, "ng", "orders")
    assert int(orders_today) == placed_today == 3
    # Mirrored: the row's label is right of its figures.
    label = page.locator('#home-ng tr[data-figure="orders"] th').bounding_box()
    cell = page.locator('#home-ng tr[data-figure="orders"] td').first.bounding_box()
    assert label["x"] > cell["x"]

    paid, link = figure(page, "ng", "waiting:Paid")
    assert int(paid) == Order.objects.filter(channel=ng, status="Paid").count() == 1
    link.click()
    page.wait_for_url(re.compile(r"/admin/order/order/\?"))
    screenshot(page, "admin-home-operator-ar-paid-orders")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert world.order_ng_lagos.number in rows.first.inner_text()


def test_brand_manager_home_in_french_counts_only_the_brands_lines(live_server, world, page, screenshot):  # noqa: F811
    sign_in(page, live_server, "xiaomi.manager", "fr")
    screenshot(page, "admin-home-brand-fr")

    assert page.locator("#role-home-title").inner_text().strip() == "Votre journée"
    # Mi Official Store sells in Nigeria, Egypt and Kenya; Tecno's EG order is not Xiaomi's.
    assert {page.locator(".role-home-channel").nth(i).get_attribute("data-channel")
            for i in range(page.locator(".role-home-channel").count())} == {"ng", "eg", "ke"}
    orders, _link = figure(page, "eg", "orders")
    assert orders == "0"
    orders, link = figure(page, "ng", "orders")
    assert orders == "2"  # NG-1001 and the shared NG-1005, not Lagos Gadgets Hub's NG-1003
    revenue, _link = figure(page, "ng", "revenue")
    # Its lines only (150 000 + 150 000 naira), not the shared order's total.
    assert re.sub(r"\s", " ", revenue).replace("\u202f", " ") in ("300 000,00 ₦", "300 000,00 NGN")
    link.click()
    page.wait_for_url(re.compile(r"/admin/order/order/\?"))
    numbers = page.locator("#result_list tbody th a, #result_list tbody td.field-number a")
    assert sorted(numbers.nth(i).inner_text().strip() for i in range(numbers.count())) == ["NG-1001", "NG-1005"]

"""
From a partner shop's shared link, a guest in Lagos orders and pays on delivery; the
shop accepts the order in the admin; the shopper sees the status change on the order page.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.memberships.services import membership_grant
from marketplace.order.models import Order
from marketplace.retail.models import RetailOrder
from tests import factories
from tests.checkout.builders import PHONES, pay_on_delivery
from tests.retail.conftest import make_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "retail-browser-test"


@pytest.fixture
def shop(launch_channels):
    channel = launch_channels["ng"]
    shop = make_shop(channel, "Ikeja Phones", district="Ikeja")
    phone = factories.product("Spark 20", category=factories.category("Phones"))
    factories.listing(phone, shop.partner, channel, "100000.00", stock=5)
    pay_on_delivery(channel)
    user = get_user_model().objects.create_user(
        username="ikeja.retailer", email="ikeja@example.com", password=PASSWORD, is_staff=True
    )
    membership_grant(user=user, seller=shop.partner)
    return shop


def test_a_guest_orders_from_a_shared_shop_link_and_sees_the_shop_accept(
    live_server, shop, browser, page, screenshot,
):
    base = live_server.url
    page.goto(f"{base}/ng/r/{shop.slug}/")
    assert page.locator('meta[property="og:title"]').get_attribute("content") == "Ikeja Phones"
    assert "₦107,500.00" in page.locator(".shop-offers").inner_text()
    screenshot(page, "retail-shop-page")
    page.locator(".shop-offer form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ng/basket/"))

    page.goto(f"{base}/ng/checkout/")
    page.fill("#id_username", "ada@example.com")
    page.locator("form.card button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Obi")
    page.fill("#id_line1", "12 Allen Avenue")
    page.fill("#id_line4", "Lagos")
    page.fill("#id_phone_number", PHONES["NG"])
    page.locator("#new_shipping_address button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/shipping-method/"))
    text = page.locator("body").inner_text()
    assert "Delivery by Ikeja Phones" in text and "Pickup at the door of Ikeja Phones" in text
    page.locator(f"form:has(input[value='shop-delivery-{shop.pk}']) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.locator("input[name=option]").first.check()
    page.locator("#choose-payment").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/ng/checkout/thank-you/"))

    order = Order.objects.get()
    retail = RetailOrder.objects.get(order=order)
    assert retail.retailer == shop and order.status == "Pending"
    status_page = f"{base}/ng/accounts/order-status/{order.number}/{order.verification_hash()}/"

    def order_status_text():
        # A guest proves the order is theirs with its e-mail address (Oscar's status form).
        page.goto(status_page)
        if "order-status-form" in page.url:
            page.locator("#content_inner input[name=email]").fill("ada@example.com")
            page.locator("#content_inner form button[type=submit]").click()
            page.wait_for_load_state()
        return page.locator("body").inner_text()

    assert "Pending" in order_status_text()

    # The shop, in the admin, in a browser of its own.
    shop_context = browser.new_context()
    admin = shop_context.new_page()
    admin.goto(f"{base}/admin/login/")
    admin.fill("#id_username", "ikeja.retailer")
    admin.fill("#id_password", PASSWORD)
    admin.locator("input[type=submit], button[type=submit]").first.click()
    admin.goto(f"{base}/admin/retail/retailorder/")
    assert order.number in admin.locator("#result_list").inner_text()
    admin.locator(f"#result_list input[name=_selected_action][value='{retail.pk}']").check()
    admin.select_option("select[name=action]", "accept")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    screenshot(admin, "retail-admin-accepted")
    shop_context.close()

    retail.refresh_from_db()
    assert retail.status == RetailOrder.ACCEPTED
    assert "Processing" in order_status_text()
    screenshot(page, "retail-order-status")

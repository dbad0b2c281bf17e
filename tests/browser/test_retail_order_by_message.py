"""
An order by text message, as the shop's staff sees it: a shopper texts "ORDER <code> 2"
to the shop's number (the sandbox provider's signed webhook, over HTTP); the retailer
finds the request in the admin, places it in one step after calling the shopper back,
finds the order already accepted (no second step), and completes the handover with the
shopper's delivery code after a wrong one is refused.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.memberships.services import membership_grant
from marketplace.messaging.models import SandboxMessage
from marketplace.messaging.providers import get_provider
from marketplace.retail.models import OrderRequest, RetailOrder
from tests import factories
from tests.checkout.builders import pay_on_delivery
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)
from tests.retail.conftest import make_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "retail-browser-test"
SHOPPER = "+2348051234567"


@pytest.fixture
def shop(launch_channels):
    channel = launch_channels["ng"]
    shop = make_shop(channel, "Ikeja Phones", district="Ikeja")
    phone = factories.product("Spark 20", category=factories.category("Phones"))
    listing = factories.listing(phone, shop.partner, channel, "100000.00", stock=5)
    pay_on_delivery(channel)
    user = get_user_model().objects.create_user(
        username="ikeja.retailer", email="ikeja@example.com", password=PASSWORD, is_staff=True
    )
    membership_grant(user=user, seller=shop.partner)
    return shop, listing


def test_the_shop_places_an_order_sent_by_text_and_hands_it_over(live_server, shop, page, screenshot):
    shop, listing = shop
    base = live_server.url
    body, headers = get_provider("sandbox").signed({
        "message_id": "SM-browser-1", "medium": "sms", "from": "08051234567", "to": shop.phone,
        "text": f"ORDER {listing.partner_sku} 2",
    })
    answer = page.request.post(f"{base}/messaging/inbound/sandbox/", data=body, headers=headers)
    assert answer.status == 200
    request = OrderRequest.objects.get()
    assert f"R-{request.pk}" in SandboxMessage.objects.get(to=SHOPPER).text

    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "ikeja.retailer")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.goto(f"{base}/admin/retail/orderrequest/")
    listed = page.locator("#result_list").inner_text()
    assert f"R-{request.pk}" in listed and SHOPPER in listed
    page.locator("#result_list a", has_text=f"R-{request.pk}").first.click()
    page.wait_for_url(re.compile(r"/orderrequest/\d+/change/"))
    assert f"ORDER {listing.partner_sku} 2" in page.locator("#content").inner_text()
    screenshot(page, "retail-order-request")

    # Confirmed with the shopper on the phone: placed in one step.
    page.check("#id_place")
    page.select_option("#id_handover", "delivery")
    page.fill("#id_first_name", "Ada")
    page.fill("#id_last_name", "Obi")
    page.fill("#id_line1", "12 Allen Avenue")
    page.fill("#id_city", "Lagos")
    page.fill("#id_district", "Ikeja")
    page.select_option("#id_payment_option", index=1)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/retail/orderrequest/$"))
    request.refresh_from_db()
    assert request.status == OrderRequest.ORDERED and request.order is not None
    number = request.order.number
    reply = SandboxMessage.objects.get(key=f"request-placed:{request.pk}").text
    assert number in reply and "to pay on delivery" in reply

    # The order is the shop's and already accepted: nothing to answer.
    page.goto(f"{base}/admin/retail/retailorder/")
    row = page.locator("#result_list tr", has_text=number)
    assert "Accepted" in row.inner_text()
    row.locator("a", has_text=number).first.click()
    page.wait_for_url(re.compile(r"/retailorder/\d+/change/"))
    retail = RetailOrder.objects.get(order=request.order)
    assert retail.status == RetailOrder.ACCEPTED

    # A wrong code is refused with the tries left; the shopper's code completes it.
    wrong = "000000" if retail.delivery_code != "000000" else "111111"
    page.fill("#id_code", wrong)
    with page.expect_response(re.compile(r"/retailorder/\d+/change/")) as refused:
        page.locator("input[name=_save]").click()
    assert refused.value.status == 400
    assert "4 tries left" in page.locator(".errorlist").inner_text()
    screenshot(page, "retail-wrong-delivery-code")
    page.fill("#id_code", retail.delivery_code)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/retail/retailorder/$"))
    retail.refresh_from_db()
    assert retail.status == RetailOrder.DELIVERED and retail.code_tries == 1

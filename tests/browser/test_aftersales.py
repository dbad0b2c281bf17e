"""A shopper in Kenya buys a phone with a 1-year plan, registers its IMEI and books a repair in Nairobi;
the centre sees the booking: in a real browser."""

import re

import pytest
from django.conf import settings
from django.test import Client

from marketplace.aftersales.models import (
    Device,
    OrderWarranty,
    RepairBooking,
    ServiceCentre,
    WarrantyPlan,
)
from marketplace.locator.cities import city_named
from marketplace.memberships.services import membership_grant
from marketplace.order.models import Order
from tests import factories
from tests.checkout.builders import PHONES, home_delivery, pay_on_delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMEI = "490154203237518"


@pytest.fixture
def kenyan_phone(launch_channels):
    kenya = launch_channels["ke"]
    store = factories.official_store("Xiaomi", channels=[kenya])
    phones = factories.category("Phones")
    phone = factories.product("Redmi Note 13", category=phones)
    factories.listing(phone, store, kenya, "25999.00", stock=5)
    home_delivery(kenya, "258.62")
    pay_on_delivery(kenya)
    plan = WarrantyPlan.objects.create(
        channel=kenya, name="1-year extended warranty", months=12, pricing=WarrantyPlan.PERCENTAGE,
        amount="10", terms="Repairs at authorised service centres.",
    )
    plan.categories.set([phones])
    ServiceCentre.objects.create(
        channel=kenya, name="Mombasa Service Centre", address="Nkrumah Road", city="Mombasa",
        latitude=-4.0435, longitude=39.6682, phone="+254 41 700 1003", hours="9-18", services="Repairs",
    )
    ServiceCentre.objects.create(
        channel=kenya, name="Nairobi CBD Service Centre", address="Moi Avenue, Kimathi House", city="Nairobi",
        latitude=-1.2841, longitude=36.8233, phone="+254 20 700 1001", hours="9-18", services="Repairs",
    )
    return phone


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


def test_a_kenyan_shopper_buys_a_phone_with_a_plan_and_registers_its_imei(
    live_server, kenyan_phone, django_user_model, page, screenshot
):
    from marketplace.payments.transitions import order_move

    shopper = django_user_model.objects.create_user("wanjiru", "wanjiru@example.com", "pw-2026-ke")
    sign_in(page, live_server, shopper)
    base = live_server.url

    page.goto(f"{base}/ke/catalogue/{kenyan_phone.slug}_{kenyan_phone.pk}/")
    plans = page.locator(".warranty-plans")
    # 10 % of KSh 25,999.00 = 2,599.90, + 16 % VAT = 3,015.88.
    assert "3,015.88" in plans.inner_text()
    screenshot(page, "aftersales-ke-product-plans")
    plans.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/ke/basket/"))
    assert "1-year extended warranty for Redmi Note 13" in page.locator("body").inner_text()

    page.goto(f"{base}/ke/checkout/")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("#id_first_name", "Wanjiru")
    page.fill("#id_last_name", "Kamau")
    page.fill("#id_line1", "Moi Avenue 12")
    page.fill("#id_line4", "Nairobi")
    page.fill("#id_phone_number", PHONES["KE"])
    page.locator("#new_shipping_address button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.locator("input[name=option]").first.check()
    page.locator("#choose-payment").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/ke/checkout/thank-you/"))
    assert "1-year extended warranty for Redmi Note 13" in page.locator("body").inner_text()

    order = Order.objects.get(user=shopper)
    for status in ("Processing", "Shipped", "Delivered"):  # the back office's part
        order_move(order=order, status=status, by_operator=True)

    page.goto(f"{base}/ke/warranty/")
    page.fill("form.device-register input[name=imei]", "4901 5420 3237 519")  # one digit off: refused, said why
    page.locator("form.device-register button[type=submit]").click()
    page.wait_for_load_state("load")  # the click waits for the answer to start, not to be read
    assert "last digit does not match" in page.locator("body").inner_text()
    page.fill("form.device-register input[name=imei]", "4901 5420 3237 518")
    page.locator("form.device-register button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ke/warranty/$"))
    text = page.locator("body").inner_text()
    device = Device.objects.get(warranty=OrderWarranty.objects.get(line__order=order))
    assert f"IMEI {IMEI}" in text
    assert str(device.ends_on.year) in text and "covered from" in text
    screenshot(page, "aftersales-ke-warranty")

    # The nearest centre to Nairobi, then the booking from the warranty page.
    page.goto(f"{base}/ke/service-centres/?city={city_named('KE', 'Nairobi').geoname_id}")
    centres = page.locator(".service-centre h2").all_inner_texts()
    assert centres[0] == "Nairobi CBD Service Centre"
    nairobi = ServiceCentre.objects.get(city="Nairobi")
    page.goto(f"{base}/ke/warranty/")
    page.locator("details.repair-book summary").click()
    page.locator("form.repair-book-form select[name=centre]").select_option(str(nairobi.pk))
    page.locator("form.repair-book-form textarea[name=fault]").fill("The screen is cracked.")
    page.locator("form.repair-book-form input[name=preferred_day]").fill(
        (kenyan_phone_day := nairobi.channel.today()).isoformat())
    page.locator("form.repair-book-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ke/warranty/$"))
    booking = RepairBooking.objects.get(device=device)
    assert booking.centre == nairobi and booking.preferred_day == kenyan_phone_day and booking.in_cover
    assert booking.reference in page.locator("body").inner_text()
    assert not page.js_errors

    # The centre's staff sees it in the back office.
    technician = django_user_model.objects.create_user("nairobi.tech", "tech@example.com", "pw")
    membership_grant(user=technician, service_centre=nairobi)
    page.context.clear_cookies()
    sign_in(page, live_server, technician)
    page.goto(f"{base}/admin/aftersales/repairbooking/")
    assert booking.reference in page.locator("#result_list").inner_text()
    screenshot(page, "aftersales-ke-centre-bookings")

"""
Flash sales in a real browser: the countdown ticks in the channel's language and
direction, and the last unit claimed shows "sold out" without a reload.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.flashsales.conftest import claim, make_item, make_sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"


def _sale(storefront_products, channel, *, units=5, starts_in=timedelta(minutes=-1)):
    listing = storefront_products["phone"].stockrecords.get(channel=channel)
    sale = make_sale(seller=storefront_products["store"], channels=[channel], starts_in=starts_in)
    price = (listing.price * Decimal("0.8")).quantize(Decimal("1"))
    return make_item(sale, listing, price=str(price), units=units)


def _countdown(page):
    return page.locator(".flash-strip time.countdown").first


def _ticks(page):
    timer = _countdown(page)
    first = timer.inner_text()
    assert re.fullmatch(r"\d{2,}:\d{2}:\d{2}", first), first
    # Wait for the next tick (the script ticks every second), however slow the machine.
    expect(timer).not_to_have_text(first)
    assert re.fullmatch(r"\d{2,}:\d{2}:\d{2}", timer.inner_text()), timer.inner_text()
    return first


def test_the_countdown_ticks_in_arabic_right_to_left_on_eg(live_server, page, storefront_products,
                                                           launch_channels, database_claims):
    _sale(storefront_products, launch_channels["eg"])
    page.goto(f"{live_server.url}/eg/")

    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    strip = page.locator(".flash-strip")
    assert strip.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert "ينتهي خلال" in strip.inner_text()
    _ticks(page)
    assert not page.js_errors, page.js_errors


def test_the_countdown_to_the_start_ticks_in_french_on_ci(live_server, page, storefront_products,
                                                          launch_channels, database_claims):
    _sale(storefront_products, launch_channels["ci"], starts_in=timedelta(hours=2))
    page.goto(f"{live_server.url}/ci/")

    strip = page.locator(".flash-strip")
    assert "Commence dans" in strip.inner_text()
    assert "Épuisé" not in strip.inner_text()  # never sold out before the start
    assert _ticks(page).startswith(("01:59", "02:00"))
    assert not page.js_errors, page.js_errors


def test_sold_out_shows_without_a_reload(live_server, page, storefront_products,
                                        launch_channels, database_claims):
    item = _sale(storefront_products, launch_channels["ke"], units=1)
    page.goto(f"{live_server.url}/ke/")
    sold_out = page.locator(f'[data-flash-item="{item.pk}"] [data-flash-sold-out]')
    assert sold_out.is_hidden()
    page.evaluate("() => { window.__same_page = true; }")

    assert claim(item, "u:someone-else").granted
    # The page polls the status every 400 ms (flashsales.js); the test asserts the
    # state it reaches, not how fast: a loaded CI machine is no stopwatch.
    expect(sold_out).to_be_visible()
    assert page.evaluate("() => window.__same_page") is True  # no reload
    assert page.locator(f'[data-flash-item="{item.pk}"] [data-flash-buy]').is_hidden()


def test_a_guest_wins_asks_for_the_code_on_the_page_and_places_the_order_in_one_post(
        live_server, page, storefront_products, launch_channels, database_claims, mailoutbox):
    """Buy now, then the one page: the "E-mail me a code" button (its script, no page
    change), the code from the e-mail, one "Place order"."""
    from tests.checkout.builders import home_delivery, pay_on_delivery

    channel = launch_channels["ke"]
    home_delivery(channel)
    pay_on_delivery(channel)
    item = _sale(storefront_products, channel, units=2)
    page.goto(f"{live_server.url}/ke/flash-sales/")
    page.locator(f'[data-flash-item="{item.pk}"] [data-flash-buy] button').click()
    page.wait_for_url(re.compile(r"/ke/flash-sales/checkout/[0-9a-f-]{36}/$"))
    form = page.locator("form.one-page-checkout")
    form.locator('[name="email"]').fill("wanjiru@example.com")
    form.locator('[name="first_name"]').fill("Wanjiru")
    form.locator('[name="last_name"]').fill("Kamau")
    form.locator('[name="line1"]').fill("Sarit Centre, Westlands")
    form.locator('[name="line4"]').fill("Nairobi")
    form.locator('[name="phone_number"]').fill("+254712345678")
    address = page.url

    form.get_by_role("button", name="E-mail me a code").click()

    expect(form.locator("[data-code-status]")).to_contain_text("We sent a 6-digit code to w…@example.com")
    assert page.url == address  # still on the page, what was typed kept
    assert form.locator('[name="line1"]').input_value() == "Sarit Centre, Westlands"
    code = re.search(r"\b([0-9]{6})\b", mailoutbox[-1].body).group(1)
    form.locator('[name="code"]').fill(code)
    form.get_by_role("button", name="Place order").click()
    page.wait_for_url(re.compile(r"/ke/checkout/thank-you/$"))
    assert len(mailoutbox) == 2  # the code, then the order's confirmation: no second code
    assert not page.js_errors, page.js_errors


def test_an_accepted_order_shows_its_number_right_to_left_then_follows_to_the_confirmation(
        live_server, page, browser, storefront_products, launch_channels, database_claims, mailoutbox,
        monkeypatch):
    """In Cairo, in Arabic: the order accepted while the worker has not written it yet (its number,
    the page accessible and right-to-left), then written: the page follows to the confirmation."""
    from marketplace.flashsales import accepting
    from marketplace.flashsales.models import AcceptedOrder
    from marketplace.order.models import Order
    from tests.browser.test_theme import axe_violations
    from tests.checkout.builders import home_delivery, pay_on_delivery

    monkeypatch.setattr(accepting, "writer_wake", lambda: None)  # the worker not there yet
    channel = launch_channels["eg"]
    home_delivery(channel)
    pay_on_delivery(channel)
    item = _sale(storefront_products, channel, units=2)
    page.goto(f"{live_server.url}/eg/flash-sales/")
    page.locator(f'[data-flash-item="{item.pk}"] [data-flash-buy] button').click()
    page.wait_for_url(re.compile(r"/eg/flash-sales/checkout/[0-9a-f-]{36}/$"))
    form = page.locator("form.one-page-checkout")
    for name, value in (("email", "mona@example.com"), ("first_name", "Mona"), ("last_name", "Adel"),
                        ("line1", "14 Abbas El Akkad St"), ("line4", "Cairo"), ("phone_number", "+201001234567")):
        form.locator(f'[name="{name}"]').fill(value)
    form.locator("[data-code-url]").click()
    expect(form.locator("[data-code-status]")).to_contain_text("m…@example.com")  # the code is sent
    form.locator('[name="code"]').fill(re.search(r"\b([0-9]{6})\b", mailoutbox[-1].body).group(1))
    form.locator("#place-order").click()

    page.wait_for_url(re.compile(r"/eg/flash-sales/orders/EG-[0-9A-Z]{9}/$"))
    accepted = AcceptedOrder.objects.get()
    assert page.locator("html").get_attribute("dir") == "rtl" and page.locator("html").get_attribute("lang") == "ar-EG"
    expect(page.locator("main")).to_contain_text(accepted.number)
    assert not Order.objects.exists()
    # axe in a context of its own (its script injected past the CSP), with this shopper's cookies.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.add_cookies(page.context.cookies())
    checked = context.new_page()
    assert checked.goto(page.url).status == 200
    assert axe_violations(checked) == []
    context.close()

    accepting.accepted_orders_write()  # the worker
    page.wait_for_url(re.compile(r"/eg/checkout/thank-you/$"), timeout=10_000)  # the page's Refresh
    expect(page.locator("main")).to_contain_text(accepted.number)
    assert Order.objects.get().number == accepted.number
    assert not page.js_errors, page.js_errors

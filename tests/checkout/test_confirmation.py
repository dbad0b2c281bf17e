"""The confirmation page of a Pay-on-Delivery order says what is due, in the channel's money."""

import re
from decimal import Decimal

import pytest

from marketplace.channels.money import format_money
from marketplace.order.models import Order
from tests import factories

from .builders import PHONES, home_delivery, pay_on_delivery
from .test_checkout_flow import choose_payment, fill_address, preview_fields, start_guest_checkout

pytestmark = pytest.mark.django_db

TAX_ROW = re.compile(r'<tr class="tax-included">\s*<td>(.*?)</td>\s*<td class="text-right">(.*?)</td>', re.S)


def tax_row(content):
    match = TAX_ROW.search(content)
    assert match, "no tax line"
    return tuple(" ".join(part.split()) for part in match.groups())


@pytest.mark.parametrize(
    ("code", "language", "price", "city", "due_label"),
    [
        ("ng", "en", "120837.21", "Lagos", "Due on delivery:"),
        ("ci", "fr", "84746", "Abidjan", "À payer à la livraison :"),
        ("eg", "ar", "8771.93", "Cairo", "المبلغ المستحق عند التسليم:"),
    ],
)
def test_pay_on_delivery_confirmation_says_what_is_due_with_the_tax_lines_of_the_preview(
    client, official_store, launch_channels, code, language, price, city, due_label
):
    channel = launch_channels[code]
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel, price, stock=3)
    home_delivery(channel, "0")
    pay_on_delivery(channel)
    start_guest_checkout(client, code, listing)
    assert fill_address(client, code, country=str(channel.country), line4=city,
                        phone_number=PHONES[str(channel.country)]).status_code == 302
    client.get(f"/{code}/checkout/shipping-method/")
    choose_payment(client, code)
    preview = client.get(f"/{code}/checkout/preview/").content.decode()

    placed = client.post(f"/{code}/checkout/preview/", preview_fields(client, code))
    assert placed["Location"] == f"/{code}/checkout/thank-you/"
    page = client.get(placed["Location"])

    content = page.content.decode()
    order = Order.objects.get()
    due = format_money(order.total_incl_tax, channel.currency, language, str(channel.country))
    assert page.status_code == 200 and order.currency == channel.currency
    assert "No payment was required" not in content
    assert f"{due_label} {due}" in content
    assert tax_row(content) == tax_row(preview)
    tax = format_money(order.total_tax, channel.currency, language, str(channel.country))
    assert tax_row(content)[1] == " ".join(tax.split())
    if code == "ci":
        assert order.total_incl_tax == Decimal("100000") and order.total_tax == Decimal("15254")
        assert ",00" not in due and "100" in due


def test_the_print_button_needs_no_inline_script(client, official_store, channel_ngn):
    from .test_checkout_flow import checkout_to_preview

    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "1000")
    home_delivery(channel_ngn, "0")
    pay_on_delivery(channel_ngn)
    client.post("/ng/checkout/preview/", checkout_to_preview(client, "ng", listing))

    content = client.get("/ng/checkout/thank-you/").content.decode()

    # behaviours.js (loaded on every page) prints on data-print.
    assert "onclick" not in content and "data-print" in content
    assert "marketplace/js/behaviours.js" in content


@pytest.mark.parametrize("ga_id", ["", "G-TEST123"])
def test_the_analytics_flag_is_written_only_when_google_analytics_is_on(
    client, settings, official_store, channel_ngn, ga_id
):
    from .test_checkout_flow import checkout_to_preview

    settings.OSCAR_GOOGLE_ANALYTICS_ID = ga_id
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "1000")
    home_delivery(channel_ngn, "0")
    pay_on_delivery(channel_ngn)
    client.post("/ng/checkout/preview/", checkout_to_preview(client, "ng", listing))

    first = client.get("/ng/checkout/thank-you/")
    again = client.get("/ng/checkout/thank-you/")

    # With an id, Oscar's purchase event is due once and the order remembers it; without
    # one nothing is sent, so nothing is written (no UPDATE on the confirmation page).
    # (This project's base template renders no inline tracking script at all: the CSP.)
    assert Order.objects.get().analytics_tracked is bool(ga_id)
    assert first.context["send_analytics_event"] is bool(ga_id)
    assert again.context["send_analytics_event"] is False

"""
The storefront as a shopper's browser shows it: language, direction, currency.

Arabic pages must be laid out right-to-left (not just carry ``dir="rtl"``), and
prices must be formatted by CLDR for the language *and* the country.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Babel's ar-EG symbol for EGP, without its trailing right-to-left mark.
EGP_AR = "ج.م."
XOF_PRICE = re.compile(r"\d[\d\u202f\u00a0 ]*\s?F\s?CFA")


def _html_attrs(page):
    return page.evaluate(
        "() => ({lang: document.documentElement.lang, dir: document.documentElement.dir})"
    )


def _body_direction(page):
    return page.evaluate("() => getComputedStyle(document.body).direction")


def _logo_center_x(page):
    logo = page.locator("#site-logo")
    logo.wait_for(state="visible")
    box = logo.bounding_box()
    assert box is not None, "#site-logo has no layout box"
    assert box["width"] > 0
    return box["x"] + box["width"] / 2


def _viewport_width(page):
    return page.evaluate("() => document.documentElement.clientWidth")


def _prices(page):
    prices = page.locator(".product_pod .price_color")
    prices.first.wait_for(state="visible")
    return [text.strip() for text in prices.all_inner_texts()]


def test_egypt_default_is_arabic_and_right_to_left(
    live_server, storefront_products, page, screenshot
):
    response = page.goto(f"{live_server.url}/eg/")
    assert response.status == 200

    assert _html_attrs(page) == {"lang": "ar-EG", "dir": "rtl"}
    assert _body_direction(page) == "rtl"
    center, width = _logo_center_x(page), _viewport_width(page)
    assert center > width / 2, f"logo centred at x={center} of {width}: the header is not mirrored"

    prices = _prices(page)
    assert any(EGP_AR in price for price in prices), prices
    # 12999.50 before tax: two minor units, so the amount carries decimals.
    assert all(re.search(r"[\d٠-٩][.,٫][\d٠-٩]{2}", price) for price in prices), prices
    assert page.js_errors == []
    screenshot(page, "eg-ar-home")


def test_egypt_in_english_is_left_to_right(live_server, storefront_products, page, screenshot):
    response = page.goto(f"{live_server.url}/eg/en/")
    assert response.status == 200

    assert _html_attrs(page) == {"lang": "en-EG", "dir": "ltr"}
    assert _body_direction(page) == "ltr"
    center, width = _logo_center_x(page), _viewport_width(page)
    assert center < width / 2, f"logo centred at x={center} of {width} on a left-to-right page"

    prices = _prices(page)
    assert prices and all("EGP" in price or "E£" in price for price in prices), prices
    assert not any(EGP_AR in price for price in prices), prices
    assert page.js_errors == []
    screenshot(page, "eg-en-home")


def test_cote_divoire_is_french_with_cfa_francs_without_decimals(
    live_server, storefront_products, page, screenshot
):
    response = page.goto(f"{live_server.url}/ci/")
    assert response.status == 200

    assert _html_attrs(page) == {"lang": "fr-CI", "dir": "ltr"}
    assert _body_direction(page) == "ltr"

    prices = _prices(page)
    assert prices and all(XOF_PRICE.search(price) for price in prices), prices
    # XOF has no minor units (CLDR): no ",00", no decimal part at all.
    assert not any(re.search(r"\d,\d", price) for price in prices), prices
    footer = page.locator("footer.site-footer").inner_text()
    assert "F\u202fCFA" in footer or "XOF" in footer, footer
    # French interface text (these strings come from Oscar's own fr catalogue).
    assert page.locator("form button[type=submit]").filter(has_text="Rechercher").count() == 1
    # The header basket (a <details>: no script) and what it opens on, in French.
    summary = page.locator(".basket-mini summary")
    assert summary.inner_text().split()[0] == "Panier"
    summary.click()
    assert page.locator(".basket-mini-panel").inner_text().strip() == "Votre panier est vide."
    assert page.js_errors == []
    screenshot(page, "ci-fr-home")


def test_cote_divoire_footer_and_switcher_are_in_french(live_server, storefront_products, page):
    """The storefront's own strings, from locale/fr (not Oscar's catalogue)."""
    page.goto(f"{live_server.url}/ci/")
    footer = page.locator("footer.site-footer")
    text = footer.inner_text()
    assert "You are shopping in" not in text, text
    assert "Vous faites vos achats" in text, text
    assert footer.get_by_role("link", name="Changer de pays", exact=True).is_visible()
    assert page.locator("#country-switcher").get_attribute("title") == "Changer de pays"


def test_egypt_arabic_text_starts_on_the_right(live_server, storefront_products, page):
    page.goto(f"{live_server.url}/eg/")
    assert page.evaluate("() => getComputedStyle(document.body).textAlign") in {"start", "right"}
    footer = page.locator("footer.site-footer p").first.evaluate("el => getComputedStyle(el).textAlign")
    assert footer in {"start", "right"}

"""
The storefront theme in headless Chromium: every page type in every channel language,
left to right and right to left, at phone widths.

- axe-core (``bench/node_modules/axe-core``, installed by ``make test``/``make audit``
  from ``bench/package.json``) finds no violation of any impact;
- no page scrolls sideways at 320 or 390 px, and listings show two products a row;
- the keyboard reaches "Add to basket" from the skip link, the focus is back on the
  button after adding, and a guest checks out with the keyboard on the one-page
  checkout, the seller named on the basket, the checkout page and the confirmation.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.checkout.builders import PHONES, home_delivery, pay_on_delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "bench" / "node_modules" / "axe-core" / "axe.min.js"
# Every channel language, left to right and right to left.
PREFIXES = ["/ng/", "/eg/", "/eg/en/", "/ci/", "/ke/sw/", "/ma/ar/"]


@pytest.fixture
def shop(launch_channels):
    """An official store's phone and a third-party seller's offer of it, with a variant
    product beside it, in every launch channel; delivery and payment in Nigeria."""
    channels = list(launch_channels.values())
    store = factories.official_store("Xiaomi", channels=channels)
    phones = factories.category("Phones")
    phone = factories.product("Redmi Note 13", category=phones)
    family = factories.product("Redmi 14C", category=phones, structure="parent")
    variant = factories.product("Redmi 14C 4GB+128GB", parent=family)
    for channel in channels:
        price = "125000" if channel.currency == "XOF" else "12999.50"
        factories.listing(phone, store, channel, price, stock=8)
        factories.listing(variant, store, channel, price, stock=3)
    seller = factories.seller("Lagos Gadgets Hub", channels=[launch_channels["ng"]])
    factories.listing(phone, seller, launch_channels["ng"], "12500.00", stock=2)
    home_delivery(launch_channels["ng"], "2325.58")
    pay_on_delivery(launch_channels["ng"])
    return {"phone": phone, "family": family, "category": phones, "store": store}


def page_paths(prefix, shop):
    phone, category, store = shop["phone"], shop["category"], shop["store"]
    return {
        "home": prefix,
        "category": f"{prefix}catalogue/category/{category.slug}_{category.pk}/",
        "product": f"{prefix}catalogue/{phone.slug}_{phone.pk}/",
        "variant product": f"{prefix}catalogue/{shop['family'].slug}_{shop['family'].pk}/",
        "search": f"{prefix}search/?q=redmi",
        "stores": f"{prefix}stores/",
        "store": f"{prefix}store/{store.slug}/",
        "basket": f"{prefix}basket/",
        "checkout": f"{prefix}checkout/",
        "one-page checkout": f"{prefix}checkout/now/",
        "login": f"{prefix}accounts/login/",
    }


def add_phone(page, base, prefix, shop):
    phone = shop["phone"]
    page.goto(f"{base}{prefix}catalogue/{phone.slug}_{phone.pk}/")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}): run `make test` or `npm install` in bench/")
    # axe is injected as a script the page did not ask for: the CSP would refuse it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                    for node in v["nodes"][:5])
        for v in results
    ]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_axe_violation_on_any_page_type(live_server, shop, axe_page, prefix):
    page, base = axe_page, live_server.url
    found = {}
    paths = page_paths(prefix, shop)
    add_phone(page, base, prefix, shop)
    for name, path in paths.items():
        response = page.goto(f"{base}{path}")
        assert response.status == 200, (name, path, response.status)
        violations = axe_violations(page)
        if violations:
            found[f"{name} {path}"] = violations
    page.goto(f"{base}/")
    if violations := axe_violations(page):
        found["country picker /"] = violations
    assert found == {}, found


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("prefix", ["/ng/", "/eg/", "/ci/"])
def test_no_page_scrolls_sideways_on_a_phone(live_server, shop, browser, prefix, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server.url
    add_phone(page, base, prefix, shop)
    wide = {}
    for name, path in {**page_paths(prefix, shop), "picker": "/"}.items():
        page.goto(f"{base}{path}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[name] = scroll
    # Two products a row: the first two cards side by side.
    page.goto(f"{base}{page_paths(prefix, shop)['category']}")
    cards = page.locator(".product-grid > li")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    context.close()
    assert wide == {}, f"pages wider than {width}px: {wide}"
    assert first["y"] == second["y"] and first["x"] != second["x"]


def test_the_keyboard_reaches_add_to_basket_and_the_focus_stays_there(live_server, shop, page):
    phone = shop["phone"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/ng/catalogue/{phone.slug}_{phone.pk}/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    presses = 0
    while page.evaluate("document.activeElement.id") != "add-to-basket":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 8, "Add to basket is more than 8 Tab presses after the skip link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows no focus ring"

    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert page.url.endswith("#add-to-basket")
    expect(page.locator("#add-to-basket")).to_be_focused()
    expect(page.locator(".basket-mini summary")).to_contain_text("1")


def test_a_guest_checks_out_with_the_keyboard_and_the_seller_is_named_throughout(
    live_server, shop, page
):
    phone, base = shop["phone"], live_server.url
    page.goto(f"{base}/ng/catalogue/{phone.slug}_{phone.pk}/")
    # The third-party seller's offer, chosen from the offers list by keyboard.
    buy = page.get_by_role("button", name="Buy from Lagos Gadgets Hub")
    buy.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(f"{base}/ng/basket/")
    expect(page.locator(".basket-items").first).to_contain_text("Sold by Lagos Gadgets Hub")
    checkout = page.get_by_role("link", name="Proceed to checkout")
    checkout.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/ng/checkout/now/"))
    expect(page.locator("#main")).to_contain_text("Sold by Lagos Gadgets Hub")
    for field, value in (("#id_email", "ada@example.com"), ("#id_first_name", "Ada"),
                         ("#id_last_name", "Obi"), ("#id_line1", "12 Allen Avenue"),
                         ("#id_line4", "Lagos"), ("#id_phone_number", PHONES["NG"])):
        page.locator(field).focus()
        page.keyboard.type(value)
    # Home delivery and Pay on Delivery are chosen already: the one button places the order.
    page.locator("#place-order").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ng/checkout/thank-you/"))
    expect(page.locator("#main")).to_contain_text("Sold by Lagos Gadgets Hub")
    assert page.js_errors == []

"""
Arabic pages mirrored, not just marked ``dir="rtl"``: header, navigation,
breadcrumbs, basket, forms and prices sit where an Arabic reader expects them.
French and Swahili pages show the catalogue's own translations. Screenshots of
each are saved under test-artifacts/screenshots/.
"""

import pytest

from marketplace.localisation.models import CategoryTranslation, ProductTranslation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def translated_products(storefront_products):
    phone = storefront_products["phone"]
    phones = phone.categories.get()
    ProductTranslation.objects.create(parent=phone, language="ar", title="هاتف ريدمي نوت 13",
                                      description="شاشة كبيرة وبطارية تدوم طويلًا.")
    ProductTranslation.objects.create(parent=phone, language="fr", title="Smartphone Redmi Note 13",
                                      description="Grand écran et longue autonomie.")
    CategoryTranslation.objects.create(parent=phones, language="ar", name="هواتف")
    CategoryTranslation.objects.create(parent=phones, language="fr", name="Téléphones")
    return {**storefront_products, "category": phones}


def box(page, selector):
    element = page.locator(selector).first
    element.wait_for(state="visible")
    found = element.bounding_box()
    assert found is not None and found["width"] > 0, f"{selector} has no layout box"
    return found


def centre(found):
    return found["x"] + found["width"] / 2


def direction(page, selector):
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).direction")


def text_align(page, selector):
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).textAlign")


def test_arabic_product_page_is_mirrored(live_server, translated_products, page, screenshot):
    phone = translated_products["phone"]
    response = page.goto(f"{live_server.url}/eg/catalogue/{phone.slug}_{phone.pk}/")
    assert response.status == 200

    assert page.locator("h1").inner_text().strip() == "هاتف ريدمي نوت 13"
    assert direction(page, ".product_main") == "rtl"
    # Header: logo on the right, the mini basket on its left.
    assert centre(box(page, "#site-logo")) > centre(box(page, ".basket-mini"))
    # Breadcrumbs read right to left: "home" is the right-most crumb.
    crumbs = page.locator(".breadcrumb .breadcrumb-item")
    assert crumbs.count() == 3
    assert crumbs.nth(0).bounding_box()["x"] > crumbs.nth(2).bounding_box()["x"]
    # Navigation: the category menu starts on the right, the search form on the left.
    assert centre(box(page, ".category-menu li:first-child a")) > centre(box(page, "form[action$='/search/']"))
    # The product's image on the right, its title and price on the left of it.
    assert centre(box(page, ".product_page img")) > centre(box(page, ".product_main h1"))
    # Prices start on the right like the text around them.
    assert text_align(page, ".product_main .price_color") in {"start", "right"}
    price = box(page, ".product_main .price_color")
    main = box(page, ".product_main")
    assert price["x"] + price["width"] > main["x"] + main["width"] - 40
    assert page.js_errors == []
    screenshot(page, "eg-ar-product")


def test_arabic_basket_and_its_dropdown_are_mirrored(
    live_server, translated_products, page, screenshot
):
    phone = translated_products["phone"]
    page.goto(f"{live_server.url}/eg/catalogue/{phone.slug}_{phone.pk}/")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/eg/basket/")

    # The line shows the Arabic title; quantities and prices follow the direction.
    line = page.locator(".basket-items").first
    assert "هاتف ريدمي نوت 13" in line.inner_text()
    assert direction(page, ".basket-items") == "rtl"
    title_x = centre(box(page, ".basket-items h2, .basket-items .basket-title, .basket-items a"))
    price_x = centre(box(page, ".basket-items .price_color"))
    assert title_x > price_x, "the product name should be right of its price"
    assert page.js_errors == []
    screenshot(page, "eg-ar-basket")

    # The mini basket's menu opens towards the middle of the page, inside the window.
    page.goto(f"{live_server.url}/eg/")
    page.locator(".basket-mini summary").click()
    menu = box(page, ".basket-mini-panel")
    toggle = box(page, ".basket-mini summary")
    assert menu["x"] >= 0
    assert abs(menu["x"] - toggle["x"]) < abs(
        (menu["x"] + menu["width"]) - (toggle["x"] + toggle["width"])
    ), "an Arabic menu should line up with the toggle's left edge"
    assert "هاتف ريدمي نوت 13" in page.locator(".basket-mini-panel").inner_text()
    assert page.js_errors == []
    screenshot(page, "eg-ar-mini-basket")


def test_arabic_forms_put_labels_on_the_right(live_server, translated_products, page, screenshot):
    page.goto(f"{live_server.url}/eg/accounts/login/")

    label = box(page, "label[for='id_login-username']")
    field = box(page, "#id_login-username")
    assert direction(page, "#id_login-username") == "rtl"
    assert label["x"] + label["width"] > field["x"] + field["width"] - 5, (
        "the label should start at the right edge of its field"
    )
    assert text_align(page, "label[for='id_login-username']") in {"start", "right"}
    screenshot(page, "eg-ar-login")


def test_french_category_page_shows_french_content(
    live_server, translated_products, page, screenshot
):
    phones = translated_products["category"]
    response = page.goto(f"{live_server.url}/ci/catalogue/category/phones_{phones.pk}/")
    assert response.status == 200

    assert page.evaluate("() => document.documentElement.lang") == "fr-CI"
    assert page.locator("h1").inner_text().strip() == "Téléphones"
    assert page.locator(".product_pod .title").first.inner_text().strip().startswith("Smartphone Redmi")
    assert direction(page, "body") == "ltr"
    screenshot(page, "ci-fr-category")


def test_swahili_falls_back_to_english_content_with_swahili_interface(
    live_server, translated_products, page, screenshot
):
    response = page.goto(f"{live_server.url}/ke/sw/")
    assert response.status == 200

    assert page.evaluate("() => document.documentElement.lang") == "sw-KE"
    # No Swahili title was entered: the English one, never an empty title.
    assert page.locator(".product_pod .title").first.inner_text().strip() == "Redmi Note 13"
    # The header basket (a <details>: no script), its label in Swahili.
    assert page.locator(".basket-mini summary").inner_text().split()[0] == "Kikapu"
    screenshot(page, "ke-sw-home")

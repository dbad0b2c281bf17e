"""
Numbers in Arabic take one of six plural forms (CLDR: zero, one, two, few 3-10,
many 11-99, other 100+): "8 قطعة متاحة" was Oscar's one form for every number.
Product pages on /eg/ (Arabic) for 1, 2, 3, 11 and 100 units in stock, and the
header basket for 0, 1 and 2 items, each with its own form.
"""

import pytest
from django.utils import translation

from marketplace.partner.availability import CountedStock
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Units in stock -> what the product page says, in Arabic's form for that number.
STOCK = {
    1: "متوفر (قطعة واحدة متاحة)",
    2: "متوفر (قطعتان متاحتان)",
    3: "متوفر (3 قطع متاحة)",
    11: "متوفر (11 قطعةً متاحة)",
    100: "متوفر (100 قطعة متاحة)",
}


def test_the_catalogue_has_six_arabic_forms():
    with translation.override("ar"):
        messages = {n: CountedStock(n).message for n in (1, 2, 3, 11, 100)}
        assert CountedStock(0).message == translation.gettext("Unavailable")
    assert messages == STOCK


def test_arabic_pages_count_units_and_items_in_their_plural_forms(live_server, launch_channels, page):
    egypt = launch_channels["eg"]
    store = factories.official_store("Xiaomi", channels=[egypt])
    phones = factories.category("Phones")
    products = {}
    for units in STOCK:
        product = factories.product(f"Redmi {units}", category=phones)
        factories.listing(product, store, egypt, "1000.00", stock=units)
        products[units] = product

    for units, expected in STOCK.items():
        product = products[units]
        page.goto(f"{live_server.url}/eg/catalogue/{product.slug}_{product.pk}/")
        assert page.locator(".product_main .availability").inner_text().strip() == expected

    summary = page.locator(".basket-mini summary .count")
    assert summary.inner_text().strip() == "0 عنصر"
    product = products[100]
    for expected in ("عنصر واحد", "عنصران"):
        page.goto(f"{live_server.url}/eg/catalogue/{product.slug}_{product.pk}/")
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.locator(".basket-mini summary .count").inner_text().strip() == expected

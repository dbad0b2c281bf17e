"""In a browser: a parent product's price follows the variant chosen, and the basket agrees."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spark(launch_channels):
    ng = launch_channels["ng"]
    store = factories.official_store("Tecno", channels=[ng])
    family = factories.product("Tecno Spark 20", structure="parent")
    big = factories.product("Spark 20 8GB+256GB", parent=family)
    small = factories.product("Spark 20 8GB+128GB", parent=family)
    factories.listing(big, store, ng, "229302.33")  # ₦246,500 with VAT, listed first
    factories.listing(small, store, ng, "200465.12")  # ₦215,500 with VAT
    return {"family": family, "big": big, "small": small}


def test_the_price_shown_follows_the_variant_and_is_what_the_basket_charges(live_server, spark, page, screenshot):
    family = spark["family"]
    page.goto(f"{live_server.url}/ng/catalogue/{family.slug}_{family.pk}/")
    price = page.locator(".product_main .price_color")
    tax_note = page.locator(".product_main .tax-note")

    assert price.inner_text().strip() == "₦215,500.00"
    assert page.locator("#id_child_id").input_value() == str(spark["small"].pk)

    page.select_option("#id_child_id", str(spark["big"].pk))

    assert price.inner_text().strip() == "₦246,500.00"
    assert tax_note.inner_text().strip() == "Includes ₦17,197.67 tax"
    screenshot(page, "variant-price-ng")

    page.locator(".btn-add-to-basket").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ng/basket/")
    assert "₦246,500.00" in page.locator("#basket_totals").inner_text()
    assert page.js_errors == []

"""Every price an admin enters says its currency and "before tax", with what shoppers pay beside it."""

import pytest
from django.utils.html import escape

from marketplace.backoffice import display
from marketplace.channels.money import format_money
from marketplace.partner.strategy import ChannelStrategy

pytestmark = pytest.mark.django_db


def shelf(listing, language="en"):
    """What the storefront's strategy charges for ``listing``, formatted as the admin shows it."""
    price = ChannelStrategy(listing.channel).pricing_policy(listing.product, listing)
    return format_money(price.incl_tax, listing.channel.currency, language, listing.channel.country.code)


def test_the_shelf_price_is_the_strategys_price_with_tax(world):
    for listing in (world.mi_ng, world.mi_eg, world.cairo_eg):
        price = ChannelStrategy(listing.channel).pricing_policy(listing.product, listing)
        assert display.shelf_price(listing.price, listing.channel) == price.incl_tax
    assert str(display.shelf_price(world.mi_ng.price, world.ng)) == "161250.00"  # VAT 7.5 %


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_listing_list_shows_price_before_tax_and_what_shoppers_pay(world, as_role, language):
    client = as_role("brand")
    client.cookies["django_language"] = language

    content = client.get("/admin/partner/stockrecord/").content.decode()

    for listing in (world.mi_ng, world.mi_eg):
        before = format_money(listing.price, listing.channel.currency, language, listing.channel.country.code)
        assert escape(before) in content
        assert escape(shelf(listing, language)) in content
    if language == "en":
        assert "price before tax" in content.lower()
        assert "VAT 7.5%" in content and "VAT 14%" in content


def test_the_product_page_shows_each_listings_shelf_price(world, as_role):
    content = as_role("brand").get(f"/admin/catalogue/product/{world.redmi.pk}/change/").content.decode()

    assert "Price before tax" in content
    assert escape(shelf(world.mi_ng)) in content
    assert escape(shelf(world.mi_eg)) in content


def test_the_add_and_change_listing_forms_say_before_tax(world, as_role):
    client = as_role("brand")

    add = client.get("/admin/partner/stockrecord/add/").content.decode()
    change = client.get(f"/admin/partner/stockrecord/{world.mi_ng.pk}/change/").content.decode()

    assert "Price before tax" in add and "without tax" in add
    assert "Price before tax (NGN)" in change
    assert "Shoppers pay " + escape(shelf(world.mi_ng)) in change


def test_the_shelf_price_column_reads_taxes_once_per_list(world, as_role, django_assert_max_num_queries):
    client = as_role("superuser")
    client.get("/admin/partner/stockrecord/")  # warm the session and content types
    with django_assert_max_num_queries(14):
        client.get("/admin/partner/stockrecord/")


@pytest.mark.parametrize(("language", "egypt"), [("en", "Egypt"), ("fr", "Égypte"), ("ar", "مصر")])
def test_channels_are_named_in_the_admins_language(world, as_role, language, egypt):
    client = as_role("superuser")
    client.cookies["django_language"] = language

    content = client.get("/admin/payments/paymentoption/").content.decode()

    assert f"{egypt} (EGP)" in content


def test_a_new_listings_price_names_the_currency_when_its_country_is_the_only_one(world, as_role):
    # Lagos Gadgets Hub sells only in Nigeria: its new listing is in naira, VAT 7.5% on top.
    seller = as_role("seller").get("/admin/partner/stockrecord/add/")
    form = seller.context_data["adminform"].form
    assert form.fields["price"].label == "Price before tax (NGN)"
    assert "VAT 7.5%" in form.fields["price"].help_text

    # Xiaomi's store sells in three countries: the currency is the channel's chosen.
    brand = as_role("brand").get("/admin/partner/stockrecord/add/")
    assert brand.context_data["adminform"].form.fields["price"].label == "Price before tax"

"""Each channel's pages through the test client: currency, language, direction, 404s."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(response):
    return HTML_TAG.search(response.content.decode()).group(0)


@pytest.fixture
def catalogue(launch_channels, official_store, phones):
    """One phone sold in every launch channel at a local price."""
    phone = factories.product("Redmi Note 13", category=phones)
    prices = {
        "ng": "120837.21",
        "eg": "8771.93",
        "ke": "22405.17",
        "ci": "84746",
        "ma": "1749.17",
        "gh": "2749.17",
    }
    for code, price in prices.items():
        factories.listing(phone, official_store, launch_channels[code], price)
    return phone


@pytest.mark.parametrize(
    ("path", "lang", "direction", "price"),
    [
        ("/ng/", "en-NG", "ltr", "₦129,900.00"),
        ("/eg/", "ar-EG", "rtl", "\u200f10,000.00\xa0ج.م.\u200f"),
        ("/eg/en/", "en-EG", "ltr", "EGP10,000.00"),
        ("/ke/", "en-KE", "ltr", "Ksh25,990.00"),
        ("/ke/sw/", "sw-KE", "ltr", "Ksh\xa025,990.00"),
        ("/ci/", "fr-CI", "ltr", "100\u202f000\xa0F\u202fCFA"),
        ("/ma/", "fr-MA", "ltr", "2\u202f099,00\xa0MAD"),
        ("/ma/ar/", "ar-MA", "rtl", "\u200f2.099,00\xa0د.م.\u200f"),
        ("/gh/", "en-GH", "ltr", "GH₵3,299.00"),
    ],
)
def test_channel_home_shows_its_language_direction_and_money(
    client, catalogue, path, lang, direction, price
):
    response = client.get(path)

    assert response.status_code == 200
    assert f'lang="{lang}"' in html_tag(response)
    assert f'dir="{direction}"' in html_tag(response)
    assert price in response.content.decode()


@pytest.mark.parametrize("page", ["catalogue/", "search/?q=redmi", "basket/", "accounts/login/"])
@pytest.mark.parametrize("code", ["ng", "eg", "ke", "ci", "ma", "gh"])
def test_every_storefront_page_answers_in_every_channel(client, catalogue, code, page):
    response = client.get(f"/{code}/{page}")
    assert response.status_code == 200


def test_links_stay_inside_the_channel_and_language(client, catalogue):
    content = client.get("/eg/en/catalogue/").content.decode()

    assert f'href="/eg/en/catalogue/redmi-note-13_{catalogue.pk}/"' in content
    assert 'action="/eg/en/search/"' in content
    assert 'href="/eg/en/basket/"' in content


def test_product_page_in_its_channel(client, catalogue):
    response = client.get(f"/ci/catalogue/redmi-note-13_{catalogue.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "100\u202f000\xa0F\u202fCFA" in content
    assert "Official Store" in content or "Boutique officielle" in content


def test_product_not_sold_in_a_channel_is_a_plain_404_without_foreign_prices(
    client, official_store, channel_ngn, launch_channels
):
    only_ng = factories.product("Lagos Only Phone")
    factories.listing(only_ng, official_store, channel_ngn, "120837.21")

    response = client.get(f"/gh/catalogue/lagos-only-phone_{only_ng.pk}/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "This product is not sold in Ghana." in content
    assert "₦" not in content and "129,900" not in content


def test_category_and_search_show_only_what_the_channel_sells(
    client, official_store, channel_ngn, channel_kes, phones
):
    both = factories.product("Redmi Both", category=phones)
    only_ke = factories.product("Redmi Kenya Only", category=phones)
    factories.listing(both, official_store, channel_ngn, "100")
    factories.listing(both, official_store, channel_kes, "100")
    factories.listing(only_ke, official_store, channel_kes, "100")

    category = client.get(f"/ng/catalogue/category/phones_{phones.pk}/").content.decode()
    search = client.get("/ng/search/?q=redmi").content.decode()

    for content in (category, search):
        assert "Redmi Both" in content
        assert "Redmi Kenya Only" not in content


def test_search_finds_a_variant_by_its_title(client, official_store, channel_ngn, phones):
    parent = factories.product("Xiaomi Redmi Go", category=phones, structure="parent")
    child = factories.product("Redmi Go 1GB+16GB", parent=parent)
    factories.listing(child, official_store, channel_ngn, "70000")

    assert "Xiaomi Redmi Go" in client.get("/ng/search/?q=16GB").content.decode()


@pytest.mark.parametrize("path", ["/xx/", "/zz/catalogue/", "/sn/", "/n/", "/ngx/"])
def test_unknown_country_codes_are_a_404_page(client, launch_channels, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_inactive_channel_is_a_404(client, channel_ghs):
    channel_ghs.is_active = False
    channel_ghs.save()

    assert client.get("/gh/").status_code == 404


def test_upper_case_code_redirects_to_the_canonical_address(client, launch_channels):
    response = client.get("/NG/catalogue/?page=1")

    assert response.status_code == 301
    assert response["Location"] == "/ng/catalogue/?page=1"


def test_a_language_the_channel_does_not_offer_falls_back_to_its_default(client, launch_channels):
    response = client.get("/ng/fr/catalogue/")

    assert response.status_code == 302
    assert response["Location"] == "/ng/catalogue/"


def test_the_default_language_spelled_out_redirects_to_the_plain_address(client, launch_channels):
    response = client.get("/eg/ar/")

    assert response.status_code == 302
    assert response["Location"] == "/eg/"


def test_language_switcher_offers_the_channels_languages_only(client, launch_channels):
    content = client.get("/ke/catalogue/").content.decode()

    assert 'href="/ke/sw/catalogue/"' in content
    assert 'href="/ke/fr/' not in content and 'href="/ke/ar/' not in content


def test_hreflang_alternates_point_at_the_same_page_everywhere(client, launch_channels):
    content = client.get("/ma/catalogue/").content.decode()

    for hreflang, url in [
        ("fr-MA", "http://testserver/ma/catalogue/"),
        ("ar-MA", "http://testserver/ma/ar/catalogue/"),
        ("ar-EG", "http://testserver/eg/catalogue/"),
        ("sw-KE", "http://testserver/ke/sw/catalogue/"),
    ]:
        assert f'<link rel="alternate" hreflang="{hreflang}" href="{url}">' in content


def test_responses_say_their_language(client, launch_channels):
    assert client.get("/ci/")["Content-Language"] == "fr"
    assert client.get("/eg/en/")["Content-Language"] == "en"


def test_a_product_without_a_description_still_describes_its_page(client, official_store, channel_ngn):
    product = factories.product("Redmi Note 13")
    factories.listing(product, official_store, channel_ngn, "150000", stock=5)

    page = client.get(f"/ng/catalogue/{product.slug}_{product.pk}/").content.decode()

    described = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert described and described.group(1).startswith("Redmi Note 13. "), described

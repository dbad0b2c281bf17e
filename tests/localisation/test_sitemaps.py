"""A sitemap per channel and language, listed by /sitemap.xml, with hreflang alternates."""

import re
import xml.etree.ElementTree as ET

import pytest

from marketplace.channels.models import Channel
from tests import factories

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SECTIONS = {"ng-en", "eg-ar", "eg-en", "ke-en", "ke-sw", "ci-fr", "ma-fr", "ma-ar", "gh-en"}


@pytest.fixture
def catalogue(launch_channels, official_store):
    phones = factories.category("Electronics > Phones")
    tvs = factories.category("TVs")
    phone = factories.product("Redmi Note 13", category=phones)
    egypt_only = factories.product("Cairo Edition", category=phones)
    unsold = factories.product("Not Sold Anywhere", category=tvs)
    for code in ("eg", "ke", "ci"):
        factories.listing(phone, official_store, launch_channels[code], "100")
    factories.listing(egypt_only, official_store, launch_channels["eg"], "100")
    return {"phone": phone, "egypt_only": egypt_only, "unsold": unsold, "phones": phones, "tvs": tvs}


def urls(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
        }
        for url in root.findall("sm:url", NS)
    }


def test_the_index_lists_every_channel_in_each_of_its_languages(client, catalogue):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
    assert {re.search(r"sitemap-(.+)\.xml$", loc).group(1) for loc in locations} == SECTIONS
    assert all(loc.startswith("http://testserver/sitemap-") for loc in locations)


def test_a_channel_language_sitemap_lists_its_home_categories_and_products(client, catalogue):
    phone, phones = catalogue["phone"], catalogue["phones"]
    electronics = phones.get_parent()

    listed = urls(client.get("/sitemap-eg-en.xml"))

    base = "http://testserver/eg/en/"
    assert base in listed
    assert f"{base}catalogue/{phone.slug}_{phone.pk}/" in listed
    egypt_only = catalogue["egypt_only"]
    assert f"{base}catalogue/{egypt_only.slug}_{egypt_only.pk}/" in listed
    assert f"{base}catalogue/category/electronics/phones_{phones.pk}/" in listed
    assert f"{base}catalogue/category/electronics_{electronics.pk}/" in listed
    # Nothing Egypt does not sell, no other channel's or language's address.
    assert not any("not-sold" in url or "/category/tvs_" in url for url in listed)
    assert all(url.startswith(base) for url in listed)
    assert len(listed) == 5


def test_each_entry_names_the_page_in_the_channels_other_languages(client, catalogue):
    phone = catalogue["phone"]
    path = f"catalogue/{phone.slug}_{phone.pk}/"

    listed = urls(client.get("/sitemap-eg-ar.xml"))

    assert listed[f"http://testserver/eg/{path}"] == {
        "ar-EG": f"http://testserver/eg/{path}",
        "en-EG": f"http://testserver/eg/en/{path}",
    }


def test_a_product_is_only_in_the_sitemaps_of_channels_selling_it(client, catalogue):
    egypt_only = catalogue["egypt_only"]
    for section in ("ke-sw", "ci-fr", "ng-en"):
        listed = urls(client.get(f"/sitemap-{section}.xml"))
        assert not any(f"/{egypt_only.slug}_{egypt_only.pk}/" in url for url in listed), section
    assert "http://testserver/ke/sw/" in urls(client.get("/sitemap-ke-sw.xml"))


def test_an_inactive_channel_has_no_sitemap(client, catalogue):
    Channel.objects.filter(country="GH").update(is_active=False)

    assert "sitemap-gh-en.xml" not in client.get("/sitemap.xml").content.decode()
    assert client.get("/sitemap-gh-en.xml").status_code == 404


@pytest.mark.parametrize("path", ["/sitemap-xx-en.xml", "/sitemap-eg-fr.xml", "/sitemap-eg-ar.xml?p=9"])
def test_an_unknown_sitemap_is_a_404(client, catalogue, path):
    assert client.get(path).status_code == 404


def test_robots_txt_points_to_the_sitemap(client, launch_channels):
    content = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content

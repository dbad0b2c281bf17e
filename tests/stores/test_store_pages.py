"""Store pages per channel: what they show, in which language, filtered, sorted, paged."""

import re

import pytest

from marketplace.stores.models import StoreProfile
from tests import factories

pytestmark = pytest.mark.django_db


def product_ids(response):
    return [p.pk for p in response.context["products"]]


def test_the_store_page_shows_what_the_store_sells_in_that_channel(client, shop):
    response = client.get(f"/ng/store/{shop['mi'].slug}/")

    assert response.status_code == 200
    assert set(product_ids(response)) == {shop["phone"].pk, shop["charger"].pk}
    content = response.content.decode()
    assert "Innovation for everyone" in content
    assert "Genuine Xiaomi devices with warranty." in content
    assert "Official Store" in content


@pytest.mark.parametrize(
    ("path", "price"),
    [
        ("/ng/", "₦129,000.00"),
        ("/eg/", "\u200f9,120.00\xa0ج.م.\u200f"),
        ("/ke/", "Ksh25,520.00"),
        ("/ci/", "99\u202f120\xa0F\u202fCFA"),
        ("/ma/", "2\u202f040,00\xa0MAD"),
        ("/gh/", "GH₵3,240.00"),
    ],
)
def test_the_official_store_page_works_in_every_channel(client, shop, path, price):
    response = client.get(f"{path}store/{shop['mi'].slug}/")

    assert response.status_code == 200
    assert shop["phone"].pk in product_ids(response)
    assert price in response.content.decode()


@pytest.mark.parametrize(
    ("path", "tagline"),
    [
        ("/ci/", "L’innovation pour tous"),  # French channel: the French text
        ("/ma/ar/", "L’innovation pour tous"),  # no Arabic text: the channel's French
        ("/ng/", "Innovation for everyone"),
        ("/eg/", "Innovation for everyone"),  # no Arabic text, Arabic-first channel: English
    ],
)
def test_the_description_is_in_the_channels_language_with_fallback(client, shop, path, tagline):
    response = client.get(f"{path}store/{shop['mi'].slug}/")

    assert tagline in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/eg/store/lagos-gadgets-hub/",  # exists, but sells in NG only
        "/ng/store/no-such-store/",
        "/ng/store/ab%20c/",
    ],
)
def test_a_store_that_does_not_sell_in_the_channel_is_a_404(client, shop, path):
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/gh/store/lagos-gadgets-hub/", "There is no store “lagos-gadgets-hub” in Ghana."),
        ("/ci/store/lagos-gadgets-hub/", "Il n’y a pas de boutique « lagos-gadgets-hub » en Côte d’Ivoire."),
    ],
)
def test_the_404_says_which_store_and_country(client, shop, path, message):
    response = client.get(path)

    assert response.status_code == 404
    assert message in response.content.decode()


def test_categories_filter_the_store_page(client, shop):
    url = f"/ng/store/{shop['mi'].slug}/"
    page = client.get(url)

    assert [c.name for c in page.context["categories"]] == ["Accessories", "Phones"]
    filtered = client.get(url, {"category": shop["accessories"].pk})
    assert product_ids(filtered) == [shop["charger"].pk]


@pytest.mark.parametrize("category", ["abc", "999999", "phones"])
def test_an_unknown_category_is_a_404(client, shop, category):
    response = client.get(f"/ng/store/{shop['mi'].slug}/", {"category": category})

    assert response.status_code == 404


def test_a_category_the_store_does_not_sell_in_here_is_a_404(client, shop, launch_channels):
    # The TV is in Accessories but sold in EG only; in GH the store sells phones only.
    response = client.get(f"/gh/store/{shop['mi'].slug}/", {"category": shop["accessories"].pk})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("sort", "first"),
    [("price", "charger"), ("-price", "phone"), ("title", "charger"), ("nonsense", "charger")],
)
def test_the_store_page_sorts(client, shop, sort, first):
    response = client.get(f"/ng/store/{shop['mi'].slug}/", {"sort": sort})

    assert product_ids(response)[0] == shop[first].pk


def test_the_store_page_is_paged(client, shop, settings):
    for n in range(25):
        factories.listing(factories.product(f"Cable {n:02d}"), shop["mi"], shop["ng"], "1000")
    url = f"/ng/store/{shop['mi'].slug}/"

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(product_ids(first)) == 20
    assert len(product_ids(second)) == 7
    assert client.get(url, {"page": 9}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


def test_a_sellers_page_prices_its_own_offers(client, shop):
    response = client.get("/ng/store/lagos-gadgets-hub/")

    assert product_ids(response) == [shop["phone"].pk]
    content = response.content.decode()
    assert "₦127,925.00" in content  # 119,000 + 7.5% VAT: Lagos Gadgets Hub's price
    assert "₦129,000.00" not in content  # not the official store's
    assert "Official Store" not in re.sub(r"<header.*?</header>", "", content, flags=re.S)


def test_the_store_list_shows_the_channels_stores_official_first(client, shop):
    response = client.get("/ng/stores/")

    assert [s.slug for s in response.context["stores"]] == [shop["mi"].slug, "lagos-gadgets-hub"]
    eg = client.get("/eg/stores/")
    assert [s.slug for s in eg.context["stores"]] == [shop["mi"].slug]


def test_a_store_without_a_profile_still_has_a_page(client, shop):
    StoreProfile.objects.all().delete()

    response = client.get(f"/ng/store/{shop['mi'].slug}/")

    assert response.status_code == 200


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches (channels, templates)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_store_page_costs_the_same_with_more_products(client, shop):
    url = f"/ci/store/{shop['mi'].slug}/"
    few = count_queries(client, url)
    for n in range(10):
        product = factories.product(f"Cable {n}", category=shop["accessories"])
        factories.listing(product, shop["mi"], shop["mi_listings"]["ci"].channel, "1000")

    assert count_queries(client, url) == few

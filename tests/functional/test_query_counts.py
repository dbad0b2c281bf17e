"""The SQL query count of storefront pages: fixed, small, and the same whatever the catalogue.

A cache miss, for an anonymous visitor and for a signed-in shopper with two items
in the basket, in an English (NG) and a French (CI) channel. Issue 10 asks for
at most 8 (category), 10 (product), 10 (search) and 10 (home). Where they go:

- every listing page: the products with their titles in the shopper's
  languages, primary image and the page's total (one query: subqueries and
  ``COUNT(*) OVER ()``), the live listings of those products and their
  variants with sellers (one); the navigation's categories with translated
  names are read once per version of the channel's pages and language and
  kept in the process (``pagecache.versions.memo_per_page_version``), as are
  the exclusive rules (``partner.strategy``), so none once warm;
- a category or search page: the filters' choices, the sellers and the brands
  selling here (two, storefront/filters.py); a category page: the category and
  its ancestors (one); home: the featured products and their listings (two);
  its root categories, official stores and hero banner, like the menu, once per
  version of the channel's pages;
- the product page: the product, its listings, its variants, theirs, their
  attribute values (five);
- signed in: the user (one; the session comes from the cache), the basket
  (one) and its lines with products, titles, images and listings (one).

Translations cost nothing more: French pages cost what English ones do.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.localisation.models import CategoryTranslation, ProductTranslation
from marketplace.stores.models import FeaturedProduct
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # These pin what rendering a page costs; served from the page cache it costs
    # less (tests/pagecache/test_cache_hits.py pins that).
    settings.PAGECACHE_ENABLED = False

ANONYMOUS = {"home": 4, "category": 5, "product": 5, "search": 4}
# The user, the basket and its lines.
SIGNED_IN = {page: count + 3 for page, count in ANONYMOUS.items()}
# Kept for other modules' pins (tests/localisation/test_query_counts.py).
CATEGORY_PAGE_QUERIES = ANONYMOUS["category"]
PRODUCT_PAGE_QUERIES = ANONYMOUS["product"]


def build_catalogue(size, store, channel, category):
    products = []
    for n in range(size):
        if n % 10 == 0:
            parent = factories.product(f"Phone family {n}", category=category, structure="parent")
            for variant in range(2):
                child = factories.product(f"Phone {n} v{variant}", parent=parent)
                factories.listing(child, store, channel, f"{1000 + n}.00")
            products.append(parent)
        else:
            item = factories.product(f"Accessory {n}", category=category)
            factories.listing(item, store, channel, f"{100 + n}.00")
            products.append(item)
    return products


def translate(products, category, language="fr"):
    CategoryTranslation.objects.create(parent=category, language=language, name="Téléphones")
    for product in products:
        ProductTranslation.objects.create(
            parent=product, language=language, title=f"FR {product.title}"
        )
        for child in product.children.all():
            ProductTranslation.objects.create(
                parent=child, language=language, title=f"FR {child.title}"
            )


def count_queries(client, url):
    client.get(url)  # warm what is per process (compiled templates, Babel data)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def urls(code, category, product):
    return {
        "home": f"/{code}/",
        "category": f"/{code}/catalogue/category/{category.slug}_{category.pk}/",
        "product": f"/{code}/catalogue/{product.slug}_{product.pk}/",
        "search": f"/{code}/search/?q=Accessory",
    }


def shop(client, launch_channels, store, category, *, code, size, signed_in):
    channel = launch_channels[code]
    products = build_catalogue(size, store, channel, category)
    if code == "ci":
        translate(products, category)
    for position, product in enumerate(products[1:4]):
        FeaturedProduct.objects.create(channel=channel, product=product, position=position)
    if signed_in:
        user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
        client.force_login(user)
        for product in products[1:3]:
            assert client.post(f"/{code}/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    return urls(code, category, products[0])


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("code", ["ng", "ci"])
@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_page_query_count_is_pinned(client, launch_channels, official_store, phones, page, code,
                                    signed_in):
    pages = shop(client, launch_channels, official_store, phones, code=code, size=12,
                 signed_in=signed_in)

    expected = (SIGNED_IN if signed_in else ANONYMOUS)[page]
    assert count_queries(client, pages[page]) == expected


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_page_query_count_does_not_grow_with_the_catalogue(
    client, launch_channels, official_store, phones, page, signed_in
):
    counts = []
    for size in (5, 30):
        category = factories.category(f"Size {size}")
        pages = shop(client, launch_channels, official_store, category, code="ci", size=size,
                     signed_in=signed_in and size == 5)
        counts.append(count_queries(client, pages[page]))

    assert counts[0] == counts[1]


def test_french_pages_show_the_translations_they_read_for_free(
    client, launch_channels, official_store, phones
):
    pages = shop(client, launch_channels, official_store, phones, code="ci", size=12,
                 signed_in=True)

    category = client.get(pages["category"]).content.decode()
    assert '">FR Accessory' in category
    assert "Téléphones" in category
    product = client.get(pages["product"]).content.decode()
    assert "<h1>FR Phone family 0</h1>" in product
    assert "FR Phone 0 v0" in product  # a variant's choice in the basket form

"""Translated catalogue pages cost a fixed number of queries, whatever the catalogue's size.

Compared with the English pages (tests/functional/test_query_counts.py, unchanged:
English reads no translation rows), a page in another language reads the
translations of all its products in one more query, of their variants in one
more, of the categories in the navigation in one more, and on a category page
of the category and its ancestors (heading, breadcrumbs) in one more.
"""

import pytest

from marketplace.localisation.models import CategoryTranslation, ProductTranslation
from tests.functional.test_query_counts import (
    CATEGORY_PAGE_QUERIES,
    PRODUCT_PAGE_QUERIES,
    build_catalogue,
    count_queries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # These pin what rendering a page costs; served from the page cache it costs
    # less (tests/pagecache/test_cache_hits.py pins that).
    settings.PAGECACHE_ENABLED = False

TRANSLATED_CATEGORY_PAGE_QUERIES = CATEGORY_PAGE_QUERIES + 4
TRANSLATED_PRODUCT_PAGE_QUERIES = PRODUCT_PAGE_QUERIES + 3


def translate(products, category):
    CategoryTranslation.objects.create(parent=category, language="fr", name="Téléphones")
    for product in products:
        ProductTranslation.objects.create(parent=product, language="fr", title=f"FR {product.title}")
        for child in product.children.all():
            ProductTranslation.objects.create(parent=child, language="fr", title=f"FR {child.title}")


@pytest.mark.parametrize("size", [10, 100])
def test_translated_category_page_query_count_is_fixed(
    client, official_store, channel_xof, phones, size
):
    translate(build_catalogue(size, official_store, channel_xof, phones), phones)

    url = f"/ci/catalogue/category/phones_{phones.pk}/"
    assert count_queries(client, url) == TRANSLATED_CATEGORY_PAGE_QUERIES
    assert 'title="FR Accessory' in client.get(url).content.decode()


@pytest.mark.parametrize("size", [10, 100])
def test_translated_product_page_query_count_is_fixed(
    client, official_store, channel_xof, phones, size
):
    products = build_catalogue(size, official_store, channel_xof, phones)
    translate(products, phones)
    parent = products[0]

    url = f"/ci/catalogue/{parent.slug}_{parent.pk}/"
    assert count_queries(client, url) == TRANSLATED_PRODUCT_PAGE_QUERIES
    assert f"<h1>FR {parent.title}</h1>" in client.get(url).content.decode()

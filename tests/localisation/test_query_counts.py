"""Translated catalogue pages cost a fixed number of queries, whatever the catalogue's size.

The same as the English pages (tests/functional/test_query_counts.py): the
titles and names in the shopper's languages come as columns of the queries
that load the products and categories (``content.annotate_translations``).
"""

import pytest

from tests.functional.test_query_counts import (
    CATEGORY_PAGE_QUERIES,
    PRODUCT_PAGE_QUERIES,
    build_catalogue,
    count_queries,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # These pin what rendering a page costs; served from the page cache it costs
    # less (tests/pagecache/test_cache_hits.py pins that).
    settings.PAGECACHE_ENABLED = False


@pytest.mark.parametrize("size", [10, 100])
def test_translated_category_page_query_count_is_fixed(
    client, official_store, channel_xof, phones, size
):
    translate(build_catalogue(size, official_store, channel_xof, phones), phones)

    url = f"/ci/catalogue/category/phones_{phones.pk}/"
    assert count_queries(client, url) == CATEGORY_PAGE_QUERIES
    assert '">FR Accessory' in client.get(url).content.decode()


@pytest.mark.parametrize("size", [10, 100])
def test_translated_product_page_query_count_is_fixed(
    client, official_store, channel_xof, phones, size
):
    products = build_catalogue(size, official_store, channel_xof, phones)
    translate(products, phones)
    parent = products[0]

    url = f"/ci/catalogue/{parent.slug}_{parent.pk}/"
    assert count_queries(client, url) == PRODUCT_PAGE_QUERIES
    assert f"<h1>FR {parent.title}</h1>" in client.get(url).content.decode()

"""The SQL query count of catalogue pages does not grow with the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # These pin what rendering a page costs; served from the page cache it costs
    # less (tests/pagecache/test_cache_hits.py pins that).
    settings.PAGECACHE_ENABLED = False

# Pinned: a change that adds a query per product (or any query) fails here.
# 9 + 1 since exclusive-listing rules (issue 5): the strategy reads the rules in
# force in the channel once per request (badges, listing selection).
CATEGORY_PAGE_QUERIES = 10
PRODUCT_PAGE_QUERIES = 10


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


def count_queries(client, url):
    client.get(url)  # warm caches that are per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [10, 100])
def test_category_page_query_count_is_fixed(client, official_store, channel_ngn, phones, size):
    build_catalogue(size, official_store, channel_ngn, phones)

    assert count_queries(client, f"/ng/catalogue/category/phones_{phones.pk}/") == CATEGORY_PAGE_QUERIES


@pytest.mark.parametrize("size", [10, 100])
def test_product_page_query_count_is_fixed(client, official_store, channel_ngn, phones, size):
    products = build_catalogue(size, official_store, channel_ngn, phones)
    parent = products[0]

    url = f"/ng/catalogue/{parent.slug}_{parent.pk}/"

    assert count_queries(client, url) == PRODUCT_PAGE_QUERIES

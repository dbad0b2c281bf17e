"""Found in review: what a page shows can never become a shopper's token; cache keys keep
what a view reads; the counters never fail a shopper's request; options are watched."""

import re
from unittest import mock

import pytest
from django.test import Client
from oscar.apps.catalogue.models import Option

from marketplace.pagecache import versions

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def test_text_on_a_page_never_turns_into_the_shoppers_csrf_token(shop):
    # The old marker was plain text: anything a seller wrote or a search echoed became
    # the token, e.g. in a link to another site.
    shop.phone.description = (
        '<p><a href="https://evil.example/?t=pagecache-csrf-token">x</a></p>'
    )
    shop.phone.save()
    client = Client()
    for _ in range(2):  # rendered for the cache, then served from it
        content = client.get(shop.product_url("ng")).content.decode()
        tokens = CSRF_INPUT.findall(content)
        assert tokens, "the product page has its basket form"
        for token in set(tokens):
            assert content.count(token) == tokens.count(token), "the token outside its input"


def test_repeated_parameters_keep_their_order_in_the_cache_key(shop):
    client = Client()
    last_finds = client.get("/ng/search/?q=nothing-like-it&q=redmi").content.decode()
    last_misses = client.get("/ng/search/?q=redmi&q=nothing-like-it").content.decode()
    assert shop.product_url("ng") in last_finds
    assert shop.product_url("ng") not in last_misses


def test_a_broker_that_is_down_does_not_fail_an_add_to_basket(shop, django_capture_on_commit_callbacks):
    # The counter is queued after commit, still inside the request: a raising queue
    # would make the shopper's request fail after their line was saved.
    client = Client()
    with mock.patch("marketplace.order.tasks.record_basket_addition.delay",
                    side_effect=ConnectionError("broker down")) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1})
    assert response.status_code == 302
    assert delay.called


def test_a_products_options_are_watched(shop):
    channel = shop.listings["ng"].channel
    before = versions.page_version(channel)
    option = Option.objects.create(name="Engraving", code="engraving", required=True)
    shop.phone.product_class.options.add(option)
    assert versions.page_version(channel) != before
    middle = versions.page_version(channel)
    option.name = "Gravure"
    option.save()
    assert versions.page_version(channel) != middle

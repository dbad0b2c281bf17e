"""The WSGI wrapper answers claims refused without a count before Django, and only those."""

import json
from datetime import timedelta
from io import BytesIO

import pytest

from marketplace.flashsales import fastpath
from tests import factories

from .conftest import claim, make_item, make_sale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"


def _call(path, *, accept="application/json", method="POST"):
    passed, started = [], {}

    def django(environ, start_response):
        passed.append(environ["PATH_INFO"])
        return [b"django"]

    def start_response(status, headers):
        started.update(status=status, headers=dict(headers))

    body = b"".join(fastpath.wrap(django)({
        "REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_ACCEPT": accept, "wsgi.input": BytesIO(b""),
    }, start_response))
    return passed, started, body


def test_a_sold_out_claim_is_answered_before_django_without_a_query(hot_listing, live_sale,
                                                                    django_assert_num_queries):
    item = make_item(live_sale, hot_listing, units=1)
    assert claim(item, "u:1").granted
    fastpath.refusal(code="ng", language=None, item_id=item.pk)  # the card and channels cached

    with django_assert_num_queries(0):
        passed, started, body = _call(f"/ng/flash-sales/items/{item.pk}/claim/")

    assert not passed and started["status"].startswith("409")
    assert json.loads(body) == {"status": "sold_out", "left": 0,
                                "message": "Sold out: every unit of this flash-sale item has been claimed."}
    assert "no-store" in started["headers"]["Cache-Control"]


def test_a_claim_that_could_be_granted_goes_to_django(hot_item):
    passed, _started, body = _call(f"/ng/flash-sales/items/{hot_item.pk}/claim/")
    assert passed and body == b"django"


@pytest.mark.parametrize("path, accept, method", [
    ("/ng/flash-sales/items/{id}/claim/", "text/html", "POST"),  # a form's post: the view's page
    ("/ng/flash-sales/items/{id}/claim/", "application/json", "GET"),
    ("/ke/flash-sales/items/{id}/claim/", "application/json", "POST"),  # another channel's item
    ("/ng/flash-sales/items/999999/claim/", "application/json", "POST"),
    ("/ng/flash-sales/items/{id}/claim/x", "application/json", "POST"),
])
def test_anything_else_goes_to_django(hot_listing, live_sale, path, accept, method):
    item = make_item(live_sale, hot_listing, units=1)
    claim(item, "u:1")
    passed, _started, _body = _call(path.format(id=item.pk), accept=accept, method=method)
    assert passed


def test_a_claim_before_the_start_is_refused_in_the_channels_language(official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi 13C"), official_store, channel_xof, "90000", stock=5)
    item = make_item(make_sale(seller=official_store, channels=[channel_xof], starts_in=timedelta(hours=1)),
                     listing, price="75000", units=5)

    passed, started, body = _call(f"/ci/flash-sales/items/{item.pk}/claim/")

    assert not passed and started["status"].startswith("409")
    answer = json.loads(body)
    assert answer["status"] == "not_started" and "pas encore commencé" in answer["message"]


def test_a_failing_cache_or_database_in_front_of_django_hands_the_claim_to_django(monkeypatch, hot_item):
    """The wrapper runs outside Django's handlers: an error there must not be a bare 500."""
    from marketplace.flashsales import selectors

    def down(item_id):
        raise ConnectionError("cache down")

    monkeypatch.setattr(selectors, "item_card", down)
    passed, _started, body = _call(f"/ng/flash-sales/items/{hot_item.pk}/claim/")
    assert passed and body == b"django"

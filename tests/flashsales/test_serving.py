"""What a crowd reloads is served before Django with no query, and never stale past a change."""

import json
from io import BytesIO

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http import SimpleCookie
from django.middleware import csrf
from django.test.utils import CaptureQueriesContext

from marketplace.basket.models import Line
from marketplace.flashsales import fastpath
from marketplace.flashsales.models import Reservation, Sale
from marketplace.pagecache.versions import basket_version, bump
from tests import factories

from .conftest import claim, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_copies(monkeypatch):
    # The per-process copies' ages are what the module documents; here every request reads
    # the shared cache, so a test sees exactly what the next request after a change sees.
    fastpath.forget()
    monkeypatch.setattr(fastpath, "SOLD_OUT_SECONDS", 0)
    yield
    fastpath.forget()


class Site:
    """gunicorn's view of the site: the wrapper around Django, and whether Django answered."""

    def __init__(self):
        self.django_calls = 0
        django = WSGIHandler()

        def counted(environ, start_response):
            self.django_calls += 1
            return django(environ, start_response)

        self.app = fastpath.wrap(counted)

    def get(self, path, *, query="", cookies=None, accept_encoding=""):
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=status, headers=headers)

        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "SCRIPT_NAME": "",
            "wsgi.input": BytesIO(b""), "wsgi.errors": BytesIO(), "HTTP_ACCEPT": "text/html",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
        }
        if accept_encoding:
            environ["HTTP_ACCEPT_ENCODING"] = accept_encoding
        # As Django's test client: the test's transaction stays open across requests.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        status = int(started["status"].split()[0])
        return status, started["headers"], body


def _visitor(code="ng"):
    return {settings.CHANNEL_COOKIE_NAME: code, settings.CSRF_COOKIE_NAME: csrf._get_new_csrf_string()}


def _tokens(body: bytes) -> list[str]:
    return fastpath._TOKEN_INPUT.findall(body.decode())


def test_the_sale_page_is_served_before_django_without_a_query_with_the_visitors_own_token(
        hot_item, django_assert_num_queries):
    site = Site()
    first, second = _visitor(), _visitor()
    status, _headers, rendered = site.get("/ng/flash-sales/", cookies=first)
    assert status == 200 and site.django_calls == 1
    assert "Redmi Note 13" in rendered.decode()

    with django_assert_num_queries(0):
        status, headers, body = site.get("/ng/flash-sales/", cookies=second)

    assert status == 200 and site.django_calls == 1  # Django never saw it
    tokens = _tokens(body)
    assert tokens and all(csrf._unmask_cipher_token(t) == second[settings.CSRF_COOKIE_NAME] for t in tokens)
    assert first[settings.CSRF_COOKIE_NAME] not in body.decode()
    assert not any(name.lower() == "set-cookie" for name, _v in headers)
    assert dict(headers)["Content-Language"] == "en"
    # Everything but the tokens is the page Django gave.
    strip = fastpath._TOKEN_INPUT.sub("", rendered.decode())
    assert fastpath._TOKEN_INPUT.sub("", body.decode()) == strip


def test_the_page_is_compressed_for_clients_that_ask(hot_item):
    site = Site()
    for calls in (1, 1):  # Django's answer (the page kept), then the fast path's
        status, headers, body = site.get("/ng/flash-sales/", cookies=_visitor(), accept_encoding="gzip, br")
        assert status == 200 and site.django_calls == calls
        assert dict(headers)["Content-Encoding"] == "gzip" and body[:2] == b"\x1f\x8b"
        assert int(dict(headers)["Content-Length"]) == len(body)


def test_a_page_without_a_form_is_kept_and_sets_no_csrf_cookie(channel_kes):
    site = Site()
    for _ in range(2):
        status, headers, body = site.get("/ke/flash-sales/")  # no sale in Kenya: no "Buy now" form
        assert status == 200 and site.django_calls == 1
        assert not _tokens(body)
        cookies = [value for name, value in headers if name == "Set-Cookie"]
        assert len(cookies) == 1 and cookies[0].strip().startswith(f"{settings.CHANNEL_COOKIE_NAME}=ke;")


def test_the_last_unit_claimed_shows_as_sold_out_on_the_next_request(live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, units=1)
    site = Site()
    site.get("/ng/flash-sales/", cookies=_visitor())
    site.get("/ng/flash-sales/", cookies=_visitor())
    assert site.django_calls == 1

    assert claim(item, "u:1").granted  # the last unit: the channel's page version moves

    status, _headers, body = site.get("/ng/flash-sales/", cookies=_visitor())
    assert status == 200 and site.django_calls == 2  # rendered afresh
    assert "data-flash-sold-out>" in body.decode().replace(" hidden", "")
    status, _headers, body = site.get("/ng/flash-sales/status/", query=f"items={item.pk}")
    assert json.loads(body)["items"][str(item.pk)]["sold_out"] is True


@pytest.mark.parametrize("cookies", [
    {settings.SESSION_COOKIE_NAME: "abc"},  # a session: a basket, an account, messages
    {"messages": "x"},
    {settings.CHANNEL_COOKIE_NAME: "ke"},  # another channel's cookie: Django sets this one's
    {settings.CSRF_COOKIE_NAME: "x" * 64},  # not a secret: Django replaces it
])
def test_a_visitor_with_something_of_their_own_goes_to_django(hot_item, cookies):
    site = Site()
    site.get("/ng/flash-sales/", cookies=_visitor())
    status, _headers, _body = site.get("/ng/flash-sales/", cookies={**_visitor(), **cookies})
    assert status == 200 and site.django_calls == 2


@pytest.mark.parametrize("kept", [(), (settings.CHANNEL_COOKIE_NAME,), (settings.CSRF_COOKIE_NAME,)])
def test_a_first_visitor_gets_the_cookies_django_would_set(hot_item, kept):
    site = Site()
    status, _headers, _body = site.get("/ng/flash-sales/")  # a first visitor's page, kept
    assert status == 200 and site.django_calls == 1
    visitor = {name: value for name, value in _visitor().items() if name in kept}

    status, headers, body = site.get("/ng/flash-sales/", cookies=visitor)

    assert status == 200 and site.django_calls == 1
    cookies = SimpleCookie()
    for name, value in headers:
        if name == "Set-Cookie":
            cookies.load(value)
    assert set(cookies) == {settings.CHANNEL_COOKIE_NAME, settings.CSRF_COOKIE_NAME} - set(kept)
    secret = visitor.get(settings.CSRF_COOKIE_NAME) or cookies[settings.CSRF_COOKIE_NAME].value
    assert all(csrf._unmask_cipher_token(t) == secret for t in _tokens(body)) and _tokens(body)
    if settings.CHANNEL_COOKIE_NAME in cookies:
        assert cookies[settings.CHANNEL_COOKIE_NAME].value == "ng"
        assert cookies[settings.CHANNEL_COOKIE_NAME]["samesite"] == "Lax"


def test_a_page_with_a_query_or_a_redirecting_address_goes_to_django(hot_item):
    site = Site()
    site.get("/ng/flash-sales/", cookies=_visitor())
    site.get("/ng/flash-sales/", query="x=1", cookies=_visitor())
    site.get("/ng/en/flash-sales/", cookies=_visitor())  # the default language spelled out: a redirect
    assert site.django_calls == 3


def test_the_status_poll_is_answered_before_django_without_a_query_as_the_view_answers(
        client, settings, hot_item, django_assert_num_queries):
    # The Redis path: its counts stay (the database path's snapshot lasts a second, which a
    # test must not race; without it the poll goes to Django, as the next test shows).
    if not settings.REDIS_URL:
        pytest.skip("needs Redis")
    settings.FLASHSALES_CLAIMS = "redis"
    assert claim(hot_item, "u:1").granted
    # The view's answer (an unknown item is skipped, and remembered as unknown).
    expected = client.get(f"/ng/flash-sales/status/?items={hot_item.pk},999999").json()
    site = Site()

    with django_assert_num_queries(0):
        status, headers, body = site.get("/ng/flash-sales/status/", query=f"items={hot_item.pk},999999")

    assert status == 200 and site.django_calls == 0
    assert json.loads(body) == expected
    assert expected["items"][str(hot_item.pk)]["left"] == 49
    assert "no-store" in dict(headers)["Cache-Control"]


@pytest.mark.parametrize("query", ["", "items=", "items=1;2", "items=1&x=2", "items={item}"])
def test_a_poll_it_cannot_read_goes_to_django(claims_path, hot_item, query):
    # The last: an item whose count is not known without PostgreSQL (none claimed yet).
    site = Site()
    status, _headers, _body = site.get("/ng/flash-sales/status/", query=query.format(item=hot_item.pk))
    assert site.django_calls == 1 and status in (200, 400, 404)


def test_a_granted_claim_is_one_statement(client, settings, hot_item):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis")
    settings.FLASHSALES_CLAIMS = "redis"
    # Another shopper's claim first: the card cached, the item's counts in Redis.
    client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", HTTP_ACCEPT="application/json")
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "ok"
    # A new basket, the reservation and its line in one INSERT with CTEs (atomic by itself:
    # no transaction, no savepoint), nothing read back (the basket was read again before).
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["WITH"]
    reservation = Reservation.objects.get(basket_id=response.json()["basket_id"])
    assert (reservation.item_id, reservation.quantity, reservation.status, reservation.via_redis) == (
        hot_item.pk, 1, Reservation.RESERVED, True)
    line = Line.objects.get(basket_id=reservation.basket_id)
    assert (line.line_reference, line.stockrecord_id, line.quantity, line.price_excl_tax) == (
        f"flash-{reservation.token}", hot_item.listing_id, 1, hot_item.sale_price)
    assert line.basket.status == "Open" and line.date_created is not None


def test_a_claim_into_a_basket_that_existed_moves_its_version(client, settings, hot_item, official_store,
                                                              channel_ngn):
    # The line is written without ``save()``: the basket's holes must still render afresh.
    if not settings.REDIS_URL:
        pytest.skip("needs Redis")
    settings.FLASHSALES_CLAIMS = "redis"
    other = make_item(hot_item.sale, factories.listing(factories.product("Redmi 13C"), official_store, channel_ngn,
                                                       "30000", stock=10), price="20000", units=5)
    first = client.post(f"/ng/flash-sales/items/{other.pk}/claim/", HTTP_ACCEPT="application/json").json()
    before = basket_version(first["basket_id"])
    second = client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", HTTP_ACCEPT="application/json").json()
    assert second["status"] == "ok" and second["basket_id"] == first["basket_id"]
    assert Line.objects.filter(basket_id=first["basket_id"]).count() == 2
    assert basket_version(first["basket_id"]) != before


def test_a_festival_page_is_served_before_django_and_an_unknown_one_never_kept(live_sale, hot_item,
                                                                                django_assert_num_queries):
    from marketplace.flashsales.models import Festival

    festival = Festival.objects.create(name="Mi Fan Festival", slug="mi-fan")
    Sale.objects.filter(pk=live_sale.pk).update(festival=festival)
    bump(channel_ids=[hot_item.listing.channel_id])  # as the admin's save does
    site = Site()
    status, _headers, first = site.get("/ng/flash-sales/festival/mi-fan/", cookies=_visitor())
    assert status == 200 and "Redmi Note 13" in first.decode()

    with django_assert_num_queries(0):
        status, _headers, body = site.get("/ng/flash-sales/festival/mi-fan/", cookies=_visitor())
    assert status == 200 and site.django_calls == 1

    for _ in range(2):
        status, _headers, _body = site.get("/ng/flash-sales/festival/nothing/", cookies=_visitor())
        assert status == 404
    assert site.django_calls == 3

"""HTTP caching of storefront pages, and what a page served from the cache costs."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import fill
from .test_holes import shopper  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# A page served from the cache, holes filled. Anonymous: nothing to read. Signed in with
# two items in the basket: the user and the basket, whatever the basket; its holes come
# from the shared cache once rendered for this version of the basket and of what it shows
# (pagecache.holes), and the session from the cache (cached_db).
ANONYMOUS_HIT_QUERIES = 0
SIGNED_IN_HIT_QUERIES = 2


def visitor(code="ng"):
    client = Client()
    client.cookies[settings.CHANNEL_COOKIE_NAME] = code
    return client


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def urls(shop, prefix):
    return {
        "home": f"/{prefix}/", "category": shop.category_url(prefix), "product": shop.product_url(prefix),
        "search": f"/{prefix}/search/?q=redmi", "catalogue": f"/{prefix}/catalogue/",
    }


@pytest.mark.parametrize("prefix", ["ng", "ci"])
@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_a_cached_page_costs_no_query_for_a_visitor(shop, renders, prefix, page):
    url = urls(shop, prefix)[page]
    client = visitor(prefix.split("/")[0])
    fill(client, [url])
    renders.clear()

    assert queries(client, url) == ANONYMOUS_HIT_QUERIES
    assert renders == []


@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_a_cached_page_costs_a_signed_in_shopper_only_their_own_parts(shop, shopper, renders, page):  # noqa: F811
    url = urls(shop, "ng")[page]
    fill(shopper, [url])
    renders.clear()

    assert queries(shopper, url) == SIGNED_IN_HIT_QUERIES
    assert renders == []


def test_a_page_with_nothing_of_the_visitors_is_public_and_revalidates_with_a_304(shop):
    client = visitor()
    url = shop.category_url("ng")
    response = client.get(url)

    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", f"s-maxage={settings.PAGECACHE_SHARED_MAX_AGE}"} <= cache_control
    assert "Cookie" in response["Vary"]
    assert not response.cookies
    etag = response["ETag"]

    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and len(captured) == 0
    assert again["ETag"] == etag


def test_a_change_gives_a_new_etag(shop, client):
    anonymous = visitor()
    url = shop.category_url("ng")
    etag = anonymous.get(url)["ETag"]
    listing = shop.listings["ng"]
    listing.price = listing.price + 1
    listing.save()

    response = anonymous.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize("who", ["first visit", "signed in", "csrf form"])
def test_pages_with_something_of_the_visitors_are_private(shop, shopper, who):  # noqa: F811
    client, url = {
        "first visit": (Client(), shop.category_url("ng")),  # the response sets the channel cookie
        "signed in": (shopper, shop.category_url("ng")),
        "csrf form": (visitor(), shop.product_url("ng")),  # the add-to-basket form's token
    }[who]
    response = client.get(url)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in response
    assert "Cookie" in response["Vary"]


def test_pages_that_are_not_found_are_not_cached(shop, renders):
    client = visitor()
    for _ in range(2):
        assert client.get("/ng/catalogue/category/phones_999999/").status_code == 404
    assert client.get("/ng/catalogue/?page=99").status_code == 404
    assert client.get("/ng/catalogue/?page=99").status_code == 404
    assert renders.count("/ng/catalogue/") == 2


def test_visitors_with_nothing_of_their_own_get_the_page_with_its_holes_already_filled(shop, monkeypatch):
    from marketplace.pagecache import holes

    url = shop.category_url("ng")
    fill(Client(), [url])  # a first visit, without the channel cookie: filled the same
    filled = []
    real = holes.render_hole
    monkeypatch.setattr(holes, "render_hole", lambda name, request: filled.append(name) or real(name, request))

    page = visitor().get(url).content.decode()

    assert filled == [] and "Login or register" in page and "Your basket is empty." in page


def test_a_visitor_with_a_message_waiting_gets_it_not_the_shared_page(shop, client):
    url = shop.product_url("ng")
    fill(visitor(), [url, shop.category_url("ng")])
    client.cookies[settings.CHANNEL_COOKIE_NAME] = "ng"
    client.post(f"/ng/basket/add/{shop.phone.pk}/", {"quantity": 1})  # anonymous: basket and message cookies

    response = client.get(shop.category_url("ng"))

    assert "has been added to your basket" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "has been added to your basket" not in visitor().get(shop.category_url("ng")).content.decode()


def test_a_page_whose_view_sets_a_message_is_not_cached(shop, renders, monkeypatch):
    from django.contrib import messages

    from marketplace.storefront.views import HomeView

    real = HomeView.get_context_data

    def with_a_message(self, **kwargs):
        messages.info(self.request, "Welcome back")
        return real(self, **kwargs)

    monkeypatch.setattr(HomeView, "get_context_data", with_a_message)
    client = visitor()
    pages = [client.get("/ng/").content.decode() for _ in range(2)]

    assert renders == ["/ng/", "/ng/"]
    assert all("Welcome back" in page for page in pages)
    monkeypatch.setattr(HomeView, "get_context_data", real)
    assert "Welcome back" not in Client().get("/ng/").content.decode()


def test_only_get_is_served_from_the_cache(shop, renders):
    client = visitor()
    fill(client, ["/ng/"])
    renders.clear()

    assert client.head("/ng/").status_code == 200
    assert client.post("/ng/").status_code == 405

    assert renders == []  # neither went through the cache (nor rendered into it)

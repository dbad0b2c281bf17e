"""The strip, the sale page, "Buy now" and the status poll, through the web client."""

from datetime import timedelta

import pytest
from django.urls import reverse  # noqa: F401  (kept for readers: URLs are written out below)

from marketplace.basket.models import Line
from marketplace.flashsales import rules
from marketplace.flashsales.models import Reservation
from tests import factories

from .conftest import make_item, make_sale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"


def test_home_strip_shows_live_sale_prices_countdown_and_units(client, hot_item):
    page = client.get("/ng/")
    html = page.content.decode()

    assert page.status_code == 200
    assert 'class="flash-strip"' in html and "Redmi Note 13" in html
    assert "data-countdown-to" in html and "Ends in" in html
    # 50,000 + 7.5% VAT struck-through 60,000 + VAT; 16% off.
    assert "53,750.00" in html and "<del>" in html and "64,500.00" in html
    assert "−16%" in html
    assert 'max="50" value="50"' in html
    assert f"/ng/flash-sales/items/{hot_item.pk}/claim/" in html


def test_before_the_start_no_sale_price_and_never_sold_out(client, official_store, channel_ngn, hot_listing):
    sale = make_sale(seller=official_store, channels=[channel_ngn], starts_in=timedelta(hours=3))
    make_item(sale, hot_listing, units=1)

    html = client.get("/ng/").content.decode()

    assert "Starts in" in html and "03:00:0" in html or "02:59:5" in html
    assert "53,750.00" not in html and "Sold out" not in html and "Buy now" not in html


def test_buy_now_reserves_and_shows_the_time_left_at_checkout(client, hot_item):
    response = client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", {"quantity": "1", "price": "50000.00"})

    assert response.status_code == 302
    reservation = Reservation.objects.get()
    line = Line.objects.get()
    assert line.price_incl_tax == hot_item.sale_price * 2150 / 2000  # with 7.5% VAT
    assert line.basket_id == reservation.basket_id
    basket = client.get("/ng/basket/")
    assert basket.status_code == 200
    assert "Reserved for you" in basket.content.decode()


def test_the_same_shopper_claiming_again_is_refused_with_a_4xx(client, hot_item):
    url = f"/ng/flash-sales/items/{hot_item.pk}/claim/"
    assert client.post(url).status_code == 302
    again = client.post(url, HTTP_ACCEPT="application/json")

    assert again.status_code == 409
    assert again.json()["status"] == rules.SHOPPER_LIMIT
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(("data", "status"), [
    ({"quantity": "NaN"}, 400), ({"quantity": "sNaN"}, 400), ({"quantity": "9" * 40}, 400),
    ({"quantity": "٣"}, 400), ({"quantity": "1\x00"}, 400), ({"quantity": "0"}, 400),
    ({"quantity": "2"}, 409), ({"price": "1.00"}, 409), ({"price": "NaN"}, 409),
])
def test_bad_claims_are_refused_with_a_translated_4xx_and_claim_nothing(client, hot_item, data, status):
    response = client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", data, HTTP_ACCEPT="application/json")

    assert response.status_code == status
    if response["Content-Type"].startswith("application/json"):  # a NUL: the project's own 400 first
        assert response.json()["message"]
    assert not Reservation.objects.exists()


def test_a_claim_for_another_channels_item_is_a_404(client, hot_item, channel_kes):
    response = client.post(f"/ke/flash-sales/items/{hot_item.pk}/claim/")

    assert response.status_code == 404
    assert not Reservation.objects.exists()


def test_claims_in_french_say_so_in_french(client, official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi 13C"), official_store, channel_xof, "90000", stock=5)
    item = make_item(make_sale(seller=official_store, channels=[channel_xof], starts_in=timedelta(hours=1)),
                     listing, price="75000", units=5)

    response = client.post(f"/ci/flash-sales/items/{item.pk}/claim/", HTTP_ACCEPT="application/json")

    assert response.status_code == 409, response.content
    assert "pas encore commencé" in response.json()["message"]


@pytest.mark.parametrize("code", ["ci", "ma", "eg", "ke"])
def test_buy_now_as_the_page_posts_it_is_granted_in_every_language(client, official_store, launch_channels, code):
    """The form's hidden price is the sale's, written as the claim reads it (never "75000,00"
    in French or with Arabic digits): the button a shopper presses claims, in every channel."""
    import re

    channel = launch_channels[code]
    listing = factories.listing(factories.product("Redmi 13C"), official_store, channel, "90000", stock=5)
    item = make_item(make_sale(seller=official_store, channels=[channel]), listing, price="75000", units=5)
    page = client.get(f"/{code}/flash-sales/").content.decode()
    form = page[page.index(f"/flash-sales/items/{item.pk}/claim/"):]
    price = re.search(r'name="price" value="([^"]*)"', form).group(1)
    assert price == "75000.00"

    response = client.post(f"/{code}/flash-sales/items/{item.pk}/claim/", {"quantity": "1", "price": price})

    assert response.status_code == 302, response.content.decode()[-800:]
    assert Reservation.objects.filter(item=item).count() == 1


def test_status_poll_says_sold_out_without_postgres_on_the_redis_path(client, settings, live_sale, hot_listing,
                                                                       django_assert_num_queries):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis")
    settings.FLASHSALES_CLAIMS = "redis"
    item = make_item(live_sale, hot_listing, units=1)
    client.post(f"/ng/flash-sales/items/{item.pk}/claim/")
    client.get(f"/ng/flash-sales/status/?items={item.pk}")  # the card cached

    with django_assert_num_queries(0):
        status = client.get(f"/ng/flash-sales/status/?items={item.pk}").json()
        refused = client.post(f"/ng/flash-sales/items/{item.pk}/claim/", HTTP_ACCEPT="application/json",
                              HTTP_COOKIE="")

    assert status["items"][str(item.pk)] == {"state": "live", "left": 0, "sold_out": True, "left_text": "0 left"}
    assert refused.status_code == 409


def test_sold_out_on_every_page_after_the_last_claim(client, live_sale, hot_listing):
    item = make_item(live_sale, hot_listing, units=1)
    assert 'value="1"' in client.get("/ng/").content.decode()
    client.post(f"/ng/flash-sales/items/{item.pk}/claim/")

    html = client.get("/ng/").content.decode()
    assert 'data-flash-sold-out>' in html.replace(" hidden", "") and 'data-flash-sold-out hidden' not in html


@pytest.mark.parametrize("items", ["", "x", "1,,2", "1;2", "9" * 20, ",".join(["1"] * 40), "\x00"])
def test_status_poll_refuses_malformed_lists_with_a_4xx(client, items):
    assert client.get("/ng/flash-sales/status/", {"items": items}).status_code in (400, 404)


def test_sale_page_lists_the_channels_sales(client, hot_item):
    page = client.get("/ng/flash-sales/")
    assert page.status_code == 200 and "Redmi Note 13" in page.content.decode()


def test_past_the_gate_shoppers_wait_with_429_and_retry_after(client, settings, monkeypatch, hot_item):
    from types import SimpleNamespace

    from marketplace.flashsales import gate

    settings.FLASHSALES_ADMIT_PER_SECOND = 1
    # Every claim in the same second, however slow the machine running the test.
    monkeypatch.setattr(gate, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    url = f"/ng/flash-sales/items/{hot_item.pk}/claim/"
    answers = [client.post(url, HTTP_ACCEPT="application/json") for _ in range(3)]

    waiting = [a for a in answers if a.status_code == 429]
    assert waiting and all(int(a["Retry-After"]) >= 1 for a in waiting)
    assert all(a.status_code < 500 for a in answers)
    page = client.post(url)  # a browser: the waiting page retries by itself (static JS)
    if page.status_code == 429:
        assert b"data-flash-retry" in page.content
    assert Reservation.objects.count() == 1


def test_redis_down_mid_sale_stops_claims_with_a_clear_message(client, settings, monkeypatch, hot_item):
    import redis

    from marketplace.flashsales import redis_claims

    settings.FLASHSALES_CLAIMS = "redis"

    def down(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(redis_claims, "run", down)
    response = client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/", HTTP_ACCEPT="application/json")

    assert response.status_code == 429 and response["Retry-After"]
    assert response.json()["status"] == "paused" and "paused" in response.json()["message"]
    assert not Reservation.objects.exists()  # fail closed: nothing granted without the count

    settings.FLASHSALES_CLAIMS = "database"  # the setting moves claims to the database path
    assert client.post(f"/ng/flash-sales/items/{hot_item.pk}/claim/").status_code == 302
    assert Reservation.objects.count() == 1


def test_the_official_stores_page_shows_its_sale_and_each_items_state(client, official_store, hot_listing,
                                                                      live_sale, third_party_seller, channel_ngn):
    item = make_item(live_sale, hot_listing, units=1)
    other = factories.listing(factories.product("Tecno Spark"), third_party_seller, channel_ngn, "40000", stock=5)
    theirs = make_sale(seller=third_party_seller, channels=[channel_ngn])
    make_item(theirs, other, price="30000", units=1)
    page = f"/ng/store/{official_store.slug}/"

    html = client.get(page).content.decode()
    assert f'data-flash-item="{item.pk}"' in html and "Ends in" in html and "Buy now" in html
    assert "Tecno Spark" not in html.split("flash-strip", 1)[1].split("</section>", 1)[0]  # another seller's sale

    client.post(f"/ng/flash-sales/items/{item.pk}/claim/")
    html = client.get(page).content.decode()
    assert 'data-flash-sold-out>' in html.replace(" hidden", "") and 'data-flash-sold-out hidden' not in html


def test_a_store_page_shows_its_next_sale_before_the_start_never_sold_out(client, official_store, hot_listing,
                                                                          channel_ngn):
    make_item(make_sale(seller=official_store, channels=[channel_ngn], starts_in=timedelta(hours=3)), hot_listing,
              units=1)

    html = client.get(f"/ng/store/{official_store.slug}/").content.decode()

    assert "Starts in" in html and "Sold out" not in html and "Buy now" not in html


def test_the_home_strip_costs_the_same_queries_for_two_items_or_six_in_french(client, settings, official_store,
                                                                               channel_xof, claims_path,
                                                                               steady_caches):
    """The strip's titles come with its cached items in every language: no query per item
    (the storefront speed issue's home page, at most 10 queries whatever the sale's size), and its
    units left in one query for the items Redis has not counted yet, not one per item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGECACHE_ENABLED = False
    sale = make_sale(seller=official_store, channels=[channel_xof])

    made = []

    def add_items(count):
        for _ in range(count):
            made.append(factories.product(f"Redmi Note {len(made) + 1}"))
            listing = factories.listing(made[-1], official_store, channel_xof, "90000", stock=5)
            make_item(sale, listing, price="75000", units=5)

    def home_queries():
        client.get("/ci/")  # caches filled, as on a running site
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/ci/")
        assert response.status_code == 200 and "Redmi" in response.content.decode()
        return len(captured)

    add_items(2)
    two = home_queries()
    add_items(4)
    assert home_queries() == two

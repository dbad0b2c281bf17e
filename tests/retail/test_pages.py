"""The locator page, a shop's own page, its QR code, adding to its basket; bad input."""

import pytest
from django.test import Client

from marketplace.locator.cities import city_named
from marketplace.partner.models import StockRecord
from tests import factories

from .conftest import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def shops(channel_ngn, lagos_shop, shop_phone):
    """Ikeja Phones at Lagos' point; two more further away; one in Abuja without the phone."""
    near = make_shop(channel_ngn, "Yaba Mobile", offset=(0.05, 0.0))  # about 5.6 km north
    far = make_shop(channel_ngn, "Lekki Gadgets", offset=(0.0, 0.2))  # about 22 km east
    abuja = make_shop(channel_ngn, "Wuse Phones", city="Abuja")
    factories.listing(shop_phone.product, far.partner, channel_ngn, "98000.00", stock=0)
    return {"ikeja": lagos_shop, "near": near, "far": far, "abuja": abuja}


def test_the_locator_lists_shops_nearest_first_with_their_distance(client, shops):
    lagos = city_named("NG", "Lagos")
    response = client.get(f"/ng/retailers/?city={lagos.geoname_id}")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["retailer"].slug for r in rows] == ["ikeja-phones", "yaba-mobile", "lekki-gadgets", "wuse-phones"]
    assert rows[0]["distance_km"] == pytest.approx(0, abs=0.01)
    assert rows[1]["distance_km"] == pytest.approx(5.56, abs=0.05)
    assert rows[3]["distance_km"] == pytest.approx(536.6, abs=0.5)  # Abuja
    assert rows[0]["now"].is_open  # open all day in the fixture
    # Each delivers within 15 km of its shop: Lekki (22 km) and Abuja do not reach Lagos.
    assert [r["delivers"] for r in rows] == [True, True, False, False]
    content = response.content.decode()
    assert "5.6 km away" in content and "Delivers to you today" in content


def test_who_has_the_product_in_stock(client, shops, shop_phone):
    lagos = city_named("NG", "Lagos")
    response = client.get(f"/ng/retailers/?city={lagos.geoname_id}&product={shop_phone.product_id}")
    has = {r["retailer"].slug: r["has_product"] for r in response.context["rows"]}
    assert has == {"ikeja-phones": True, "yaba-mobile": False, "lekki-gadgets": False, "wuse-phones": False}


def test_a_shared_position_is_rounded_and_searched_from(client, shops):
    response = client.get("/ng/retailers/?lat=6.50312&lng=3.39461")
    assert response.status_code == 200
    assert response.context["locator"]["origin"].point.latitude == 6.503
    assert response.context["rows"][0]["retailer"].slug == "yaba-mobile"


@pytest.mark.parametrize("query, status", [
    ("lat=NaN&lng=3", 400), ("lat=91&lng=3", 400), ("lat=6&lng=181", 400), ("lat=abc&lng=3", 400),
    ("lat=1e3&lng=3", 400), ("lat=6", 400), ("lat=%00&lng=3", 400), ("lat=" + "9" * 400 + "&lng=1", 400),
    ("city=999999999", 404), ("city=abc", 404), ("city=2306104", 404),  # Accra: another country
    ("product=abc", 404), ("product=" + "9" * 40, 404),
])
def test_bad_locations_are_clear_4xx(client, shops, query, status):
    response = client.get(f"/ng/retailers/?{query}")
    assert response.status_code == status


def test_the_error_is_translated(client, shops):
    response = client.get("/ci/retailers/?lat=NaN&lng=3")
    assert response.status_code == 400
    assert "La latitude" in response.content.decode()


def test_a_shops_page_has_its_products_hours_zone_and_sharing(client, shops, shop_phone):
    response = client.get("/ng/r/ikeja-phones/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'property="og:title" content="Ikeja Phones"' in content
    assert 'property="og:url" content="http://testserver/ng/r/ikeja-phones/"' in content
    assert "https://wa.me/?text=" in content and "Spark 20" in content
    assert "₦107,500.00" in content  # 100,000 + 7.5 % VAT, as the button charges
    assert 'data-zone="green"' in content
    qr = client.get("/ng/r/ikeja-phones/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")


def test_another_channels_or_an_unknown_shop_is_a_404(client, shops):
    assert client.get("/gh/r/ikeja-phones/").status_code == 404
    assert client.get("/ng/r/no-such-shop/").status_code == 404
    assert client.get("/gh/r/ikeja-phones/qr.svg").status_code == 404


def test_adding_from_the_shop_and_a_tampered_listing(client, shops, shop_phone, channel_ngn):
    home = client.get("/ng/r/ikeja-phones/")
    assert home.status_code == 200
    response = client.post("/ng/r/ikeja-phones/add/", {"listing": shop_phone.pk, "quantity": 1})
    assert response.status_code == 302
    basket = client.get("/ng/basket/").context["basket"]
    assert [line.stockrecord_id for line in basket.all_lines()] == [shop_phone.pk]

    other = StockRecord.objects.get(partner=shops["far"].partner)
    for tampered in (other.pk, "abc", "9" * 40, "", "-1"):
        assert client.post("/ng/r/ikeja-phones/add/", {"listing": tampered, "quantity": 1}).status_code == 404
    # Another shop's item into this shop's basket: refused, nothing added.
    assert client.post("/ng/r/lekki-gadgets/add/", {"listing": other.pk, "quantity": 1}).status_code in (404, 409)
    assert client.post("/gh/r/ikeja-phones/add/", {"listing": shop_phone.pk, "quantity": 1}).status_code == 404
    basket = client.get("/ng/basket/").context["basket"]
    assert basket.num_lines == 1

    # Leaving the shop takes its items out of the basket.
    assert client.post("/ng/r/ikeja-phones/leave/").status_code == 302
    assert client.get("/ng/basket/").context["basket"].num_lines == 0


def test_a_zone_change_shows_on_the_next_request_of_the_cached_page(client, shops, channel_ngn, settings):
    import datetime

    from django.utils import timezone

    from marketplace.retail.models import Zone

    settings.PAGECACHE_ENABLED = True
    assert 'data-zone="green"' in client.get("/ng/r/ikeja-phones/").content.decode()
    assert 'data-zone="green"' in client.get("/ng/r/ikeja-phones/").content.decode()  # cached
    Zone.objects.create(channel=channel_ngn, city="Lagos", status="red",
                        starts_at=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get("/ng/r/ikeja-phones/").content.decode()
    assert 'data-zone="red"' in page and "pickup at the shop door only" in page

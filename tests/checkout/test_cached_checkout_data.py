"""
What the checkout keeps in the shared cache shows every change on the very next request:
delivery options, pickup stations and their translations, payment options, the
checkout's flat pages. And the work moved out of the request still happens.
"""

from decimal import Decimal

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.analytics.models import ProductRecord

from marketplace.delivery.models import DeliveryOption, DeliveryOptionTranslation, PickupStation
from marketplace.order import services
from marketplace.order.models import Order
from tests import factories

from .builders import basket_with, home_delivery, pay_on_delivery, place
from .test_checkout_flow import choose_payment, fill_address, preview_fields, start_guest_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_ng(official_store, channel_ngn):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "120837.21", stock=10)
    home = home_delivery(channel_ngn, "2325.58")
    DeliveryOption.objects.create(channel=channel_ngn, kind=DeliveryOption.PICKUP, name="Pickup", price=Decimal("500"))
    PickupStation.objects.create(channel=channel_ngn, name="Ikeja Station", address="1 Obafemi Awolowo Way",
                                 city="Lagos", opening_hours="8-18")
    pay_on_delivery(channel_ngn, cap=Decimal("200000"))
    return listing, home


def delivery_page(client):
    return client.get("/ng/checkout/shipping-method/").content.decode()


def test_a_delivery_option_or_station_changed_shows_on_the_next_request(client, shop_ng):
    listing, home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    assert "Home delivery" in delivery_page(client) and "Ikeja Station" in delivery_page(client)

    home.name = "Doorstep delivery"
    home.save()
    station = PickupStation.objects.get()
    station.name = "Yaba Station"
    station.save()

    page = delivery_page(client)
    assert "Doorstep delivery" in page and "Home delivery" not in page
    assert "Yaba Station" in page and "Ikeja Station" not in page


def test_a_delivery_option_switched_off_or_translated_shows_on_the_next_request(client, shop_ng, channel_xof,
                                                                                official_store):
    listing, home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    assert "Pickup" in delivery_page(client)

    DeliveryOption.objects.filter(kind=DeliveryOption.PICKUP).get().delete()
    assert "Ikeja Station" not in delivery_page(client)

    # A translation of the option, in a French channel.
    item = factories.listing(factories.product("Redmi A3"), official_store, channel_xof, "50000", stock=5)
    ci_home = home_delivery(channel_xof, "0")
    pay_on_delivery(channel_xof)
    start_guest_checkout(client, "ci", item)
    client.post("/ci/checkout/shipping-address/", {
        "first_name": "Ada", "last_name": "Obi", "line1": "Boulevard Latrille", "line4": "Abidjan",
        "country": "CI", "phone_number": "+2250701020304",
    })
    client.get("/ci/checkout/shipping-method/")  # one option: chosen, and cached
    choose_payment(client, "ci")
    DeliveryOptionTranslation.objects.create(parent=ci_home, language="fr", name="Livraison à domicile")

    assert "Livraison à domicile" in client.get("/ci/checkout/preview/").content.decode()


def test_the_delivery_options_are_read_from_the_cache_once_filled(client, shop_ng):
    listing, _home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    delivery_page(client)

    with CaptureQueriesContext(connection) as queries:
        delivery_page(client)

    assert not [q for q in queries if "delivery_" in q["sql"]]


def test_a_payment_option_switched_off_or_capped_shows_on_the_next_request(client, shop_ng):
    from marketplace.payments.models import PaymentOption

    listing, _home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    client.post("/ng/checkout/shipping-method/", {"method_code": f"home-{_home.pk}"})
    assert 'name="option"' in client.get("/ng/checkout/payment-method/").content.decode()

    option = PaymentOption.objects.get()
    option.max_order_total = Decimal("1000")
    option.save()
    assert 'name="option"' not in client.get("/ng/checkout/payment-method/").content.decode()

    option.max_order_total = None
    option.save()
    assert 'name="option"' in client.get("/ng/checkout/payment-method/").content.decode()
    option.is_active = False
    option.save()
    response = client.post("/ng/checkout/payment-method/", {"option": option.pk})
    assert response.status_code == 400


def test_a_payment_option_switched_off_after_the_preview_places_nothing(client, shop_ng):
    from marketplace.payments.models import PaymentOption

    listing, home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    client.post("/ng/checkout/shipping-method/", {"method_code": f"home-{home.pk}"})
    choose_payment(client, "ng")
    fields = preview_fields(client, "ng")
    option = PaymentOption.objects.get()
    option.is_active = False
    option.save()

    response = client.post("/ng/checkout/preview/", fields)

    # Back to the choice of a payment method, nothing placed.
    assert response.status_code == 302 and response["Location"] == "/ng/checkout/payment-method/"
    assert not Order.objects.exists()


def test_a_checkout_flat_page_added_or_changed_shows_on_the_next_request(client, shop_ng):
    listing, _home = shop_ng
    start_guest_checkout(client, "ng", listing)
    fill_address(client, "ng")
    assert "Delivery terms" not in delivery_page(client)

    page = FlatPage.objects.create(url="/order/terms/", title="Delivery terms", content="<p>Terms</p>")
    page.sites.add(Site.objects.get_current())
    assert "Delivery terms" in delivery_page(client)

    page.title = "Terms of sale"
    page.save()
    assert "Terms of sale" in delivery_page(client)
    page.sites.clear()
    assert "Terms of sale" not in delivery_page(client)


def test_sales_counters_are_counted_after_the_order_commits(
    official_store, channel_ngn, django_capture_on_commit_callbacks
):
    item = factories.listing(factories.product("Redmi A3"), official_store, channel_ngn, "50000", stock=5)
    basket = basket_with(channel_ngn, (item.product, 2))

    with django_capture_on_commit_callbacks() as callbacks:
        place(channel_ngn, basket)
        # Nothing counted inside the order transaction (no lock on the counter's row).
        assert not ProductRecord.objects.filter(product=item.product, num_purchases__gt=0).exists()
    for callback in callbacks:
        callback()

    assert ProductRecord.objects.get(product=item.product).num_purchases == 2


def test_adding_to_the_basket_is_counted_after_commit(client, shop_ng, django_capture_on_commit_callbacks):
    listing, _home = shop_ng

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ng/basket/add/{listing.product.pk}/", {"quantity": 1})

    assert ProductRecord.objects.get(product=listing.product).num_basket_additions == 1


def test_an_order_number_already_taken_is_drawn_again(official_store, channel_ngn, monkeypatch):
    item = factories.listing(factories.product("Redmi A3"), official_store, channel_ngn, "50000", stock=5)
    taken = place(channel_ngn, basket_with(channel_ngn, (item.product, 1))).order.number
    drawn = iter([taken, "NG-23456789"])
    monkeypatch.setattr(services, "order_number", lambda channel: next(drawn))

    order = place(channel_ngn, basket_with(channel_ngn, (item.product, 1))).order

    assert order.number == "NG-23456789" and Order.objects.count() == 2

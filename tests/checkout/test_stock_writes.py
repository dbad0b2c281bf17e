"""Saving a listing never writes back the allocated count it loaded (lost updates)."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from marketplace.order import stock
from marketplace.partner.admin import ListingAdmin
from marketplace.partner.models import StockRecord
from tests import factories
from tests.backoffice.conftest import make_user

from .builders import basket_with, home_delivery, pay_on_delivery, place


@pytest.fixture
def listing(official_store, channel_ngn):
    return factories.listing(factories.product("Redmi 13C"), official_store, channel_ngn, "90000", stock=10)


@pytest.mark.django_db
def test_saving_a_stale_listing_keeps_the_allocations_made_since_it_was_loaded(listing):
    stale = StockRecord.objects.get(pk=listing.pk)
    stock.allocate([(listing.pk, 3)])  # an order, after the listing was loaded

    stale.price = Decimal("95000")
    stale.num_in_stock = 12
    stale.save()

    listing.refresh_from_db()
    assert (listing.price, listing.num_in_stock, listing.num_allocated) == (Decimal("95000"), 12, 3)


@pytest.mark.django_db
def test_a_service_that_names_the_allocation_still_writes_it(listing):
    listing.num_allocated = 4
    listing.save(update_fields=["num_allocated"])

    listing.refresh_from_db()
    assert listing.num_allocated == 4


@pytest.mark.django_db(transaction=True)
def test_an_admin_save_racing_a_checkout_keeps_the_checkouts_allocation(
    postgres, client, listing, channel_ngn, monkeypatch
):
    """The admin loads the listing, a checkout commits an order for 2, then the admin saves."""
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    client.force_login(make_user("root", superuser=True))
    loaded = ListingAdmin.get_object
    placed = []

    def get_object_then_checkout(self, request, object_id, from_field=None):
        obj = loaded(self, request, object_id, from_field)
        if request.method == "POST" and not placed:

            def checkout():
                try:
                    placed.append(place(channel_ngn, basket_with(channel_ngn, (listing.product, 2))))
                finally:
                    connections.close_all()

            shopper = threading.Thread(target=checkout)
            shopper.start()
            shopper.join(timeout=60)
        return obj

    monkeypatch.setattr(ListingAdmin, "get_object", get_object_then_checkout)

    response = client.post(f"/admin/partner/stockrecord/{listing.pk}/change/", {
        "partner_sku": listing.partner_sku, "price": "99000", "num_in_stock": "10",
        "low_stock_threshold": "", "is_live": "on",
    })

    assert response.status_code == 302
    assert placed and placed[0].created
    listing.refresh_from_db()
    assert listing.price == Decimal("99000")
    assert listing.num_allocated == 2  # the order's allocation survived the admin's save


@pytest.mark.django_db(transaction=True)
def test_an_admin_stock_count_below_what_a_concurrent_checkout_allocated_is_refused(
    postgres, client, listing, channel_ngn, monkeypatch
):
    """Checked against the allocation committed now (row locked), not the one loaded: a form error, not a 500."""
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    client.force_login(make_user("root", superuser=True))
    loaded = ListingAdmin.get_object

    def get_object_then_checkout(self, request, object_id, from_field=None):
        obj = loaded(self, request, object_id, from_field)
        if request.method == "POST":
            shopper = threading.Thread(target=lambda: (
                place(channel_ngn, basket_with(channel_ngn, (listing.product, 6))), connections.close_all()))
            shopper.start()
            shopper.join(timeout=60)
        return obj

    monkeypatch.setattr(ListingAdmin, "get_object", get_object_then_checkout)

    response = client.post(f"/admin/partner/stockrecord/{listing.pk}/change/", {
        "partner_sku": listing.partner_sku, "price": "90000", "num_in_stock": "5",
        "low_stock_threshold": "", "is_live": "on",
    })

    assert response.status_code == 200
    assert response.context_data["adminform"].form.errors
    listing.refresh_from_db()
    assert (listing.num_in_stock, listing.num_allocated) == (10, 6)

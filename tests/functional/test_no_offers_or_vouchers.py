"""Oscar's offers and vouchers have no currency, so the storefront has none of them (yet)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from oscar.apps.offer.models import Benefit, Condition, ConditionalOffer, Range
from oscar.apps.voucher.models import Voucher

from marketplace.basket.models import Basket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_percent_off_everything():
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    return ConditionalOffer.objects.create(
        name="Ten percent off", offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
    )


@pytest.fixture
def phone_ng(official_store, channel_ngn):
    return factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "100000")


@pytest.mark.parametrize("path", ["/ng/offers/", "/ci/offers/", "/eg/en/offers/"])
def test_the_offer_pages_are_404s(client, launch_channels, ten_percent_off_everything, path):
    assert client.get(path).status_code == 404
    assert client.get(f"{path}{ten_percent_off_everything.slug}/").status_code == 404


def test_no_basket_applies_an_offer(client, phone_ng, ten_percent_off_everything):
    client.post(f"/ng/basket/add/{phone_ng.product.pk}/", {"quantity": 2})

    page = client.get("/ng/basket/")

    basket = page.context["basket"]
    assert not basket.offer_applications.offers
    assert basket.offer_discounts == [] and basket.total_discount == 0
    assert basket.total_incl_tax == Decimal("215000.00")  # 2 × (100,000 + 7.5% VAT)
    assert "Ten percent off" not in page.content.decode()


def test_the_basket_has_no_voucher_form_and_takes_no_voucher(client, phone_ng, ten_percent_off_everything):
    voucher = Voucher.objects.create(name="Ten", code="TEN", usage=Voucher.MULTI_USE,
                                     start_datetime="2020-01-01T00:00Z", end_datetime="2099-01-01T00:00Z")
    voucher.offers.add(ten_percent_off_everything)
    client.post(f"/ng/basket/add/{phone_ng.product.pk}/", {"quantity": 1})

    page = client.get("/ng/basket/").content.decode()
    posted = client.post("/ng/basket/vouchers/add/", {"code": "TEN"})

    assert "voucher" not in page.lower()
    assert posted.status_code == 404
    assert not Basket.objects.get().vouchers.exists()


def test_the_navigation_links_to_no_offers(client, phone_ng):
    page = client.get("/ng/").content.decode()

    assert "/offers/" not in page


@pytest.mark.parametrize("model", [ConditionalOffer, Range, Benefit, Condition, Voucher])
def test_the_back_office_has_no_offer_or_voucher_admin(client, model):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough-1")
    client.force_login(root)

    assert not admin.site.is_registered(model)
    assert client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").status_code == 404

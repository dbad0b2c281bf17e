"""Warranty plans and what they cover, named by what differs."""

from decimal import Decimal

import pytest

from marketplace.aftersales.models import WarrantyPlan
from marketplace.stores.models import ProductBrand
from tests import factories


def plan(channel, *, name="1-year extended warranty", months=12, pricing="percentage", amount="10",
         brand=None, products=(), categories=()):
    made = WarrantyPlan.objects.create(
        channel=channel, name=name, months=months, pricing=pricing, amount=Decimal(amount), brand=brand,
        terms="Repairs and parts at authorised service centres.",
    )
    made.products.set(products)
    made.categories.set(categories)
    return made


@pytest.fixture
def phone_ng(official_store, channel_ngn, phones):
    product = factories.product("Redmi Note 13", category=phones)
    ProductBrand.objects.create(product=product, brand=official_store.brand)
    return factories.listing(product, official_store, channel_ngn, "150000.00", stock=10)


@pytest.fixture
def charger_ng(official_store, channel_ngn):
    product = factories.product("Fast charger", category=factories.category("Accessories"))
    return factories.listing(product, official_store, channel_ngn, "5000.00", stock=10)


@pytest.fixture
def plan_ng(channel_ngn, phones):
    return plan(channel_ngn, categories=[phones])

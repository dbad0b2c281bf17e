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


def deliver(order):
    from marketplace.order import statuses
    from marketplace.payments.transitions import order_move

    for status in (statuses.PROCESSING, statuses.SHIPPED, statuses.DELIVERED):
        order = order_move(order=order, status=status, by_operator=True)
    return order


def bought_warranty(channel, listing, warranty, *, user=None, quantity=1, delivered=True):
    """An order of ``quantity`` × ``listing`` with ``warranty``, delivered; its OrderWarranty."""
    from marketplace.aftersales.models import OrderWarranty
    from marketplace.aftersales.services import basket_line_plan_set
    from tests.checkout.builders import basket_with, place

    basket = basket_with(channel, (listing.product, quantity))
    basket_line_plan_set(basket=basket, product_line=basket.all_lines()[0], plan=warranty,
                         expected_incl_tax=None)
    basket._lines = None
    order = place(channel, basket, user=user).order
    if delivered:
        deliver(order)
    return OrderWarranty.objects.get(line__order=order)


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", "pw-ada-2026")

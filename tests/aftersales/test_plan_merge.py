"""A guest's basket merged at sign-in keeps its warranty lines tied to their product line."""

import pytest

from marketplace.aftersales.models import BasketWarranty
from marketplace.basket.middleware import ChannelBasketMiddleware
from marketplace.basket.models import Basket, Line
from tests.checkout.builders import basket_with

from .conftest import plan
from .test_plan_lines import with_plan

pytestmark = pytest.mark.django_db


def merge(master, slave):
    ChannelBasketMiddleware(lambda request: None).merge_baskets(master, slave)
    return {line.pk: line for line in Line.objects.filter(basket=master)}


def product_and_plan(lines):
    product = next(line for line in lines.values() if line.parent_line_id is None)
    plans = [line for line in lines.values() if line.parent_line_id is not None]
    return product, plans


def test_a_guest_plan_moves_to_the_shoppers_line_of_the_same_product(channel_ngn, phone_ng, plan_ng, shopper):
    guest, _guest_line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=1)
    mine = basket_with(channel_ngn, (phone_ng.product, 2))  # the same product, no plan
    mine.owner = shopper
    mine.save()

    lines = merge(mine, guest)

    product, plans = product_and_plan(lines)
    assert len(lines) == 2
    assert product.quantity == 2  # Oscar's merge at sign-in keeps the larger quantity
    [warranty] = plans
    assert warranty.parent_line_id == product.pk
    assert warranty.quantity == 2  # follows its (new) product line
    assert warranty.line_reference == f"warranty-{product.pk}"
    assert BasketWarranty.objects.get(line=warranty).plan == plan_ng
    assert Basket.objects.get(pk=guest.pk).status == Basket.MERGED


def test_a_guest_plan_moves_with_its_product_line_into_another_basket(channel_ngn, phone_ng, plan_ng, shopper):
    guest, guest_line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=3)
    mine = Basket.objects.create(channel=channel_ngn, owner=shopper)

    lines = merge(mine, guest)

    product, [warranty] = product_and_plan(lines)
    assert product.pk == guest_line.pk
    assert warranty.parent_line_id == product.pk and warranty.quantity == 3


def test_the_shoppers_own_plan_stays_when_both_baskets_have_one(channel_ngn, phone_ng, plan_ng, phones, shopper):
    two_years = plan(channel_ngn, name="2-year extended warranty", months=24, categories=[phones])
    guest, _line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=3)
    mine, mine_line = with_plan(channel_ngn, phone_ng, two_years, quantity=1)
    mine.owner = shopper
    mine.save()

    lines = merge(mine, guest)

    product, [warranty] = product_and_plan(lines)
    assert product.pk == mine_line.pk and product.quantity == 3
    assert warranty.quantity == 3
    assert BasketWarranty.objects.get(line=warranty).plan == two_years
    assert BasketWarranty.objects.count() == 1  # the guest's went with its line


def test_signing_in_with_a_guest_basket_keeps_its_plan(client, channel_ngn, phone_ng, plan_ng, shopper):
    from django.conf import settings
    from django.core.signing import Signer

    guest, _line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=1)
    mine = basket_with(channel_ngn, (phone_ng.product, 1))
    mine.owner = shopper
    mine.save()
    client.force_login(shopper)
    client.cookies[f"{settings.OSCAR_BASKET_COOKIE_OPEN}_{channel_ngn.code}"] = Signer().sign(guest.pk)

    response = client.get(f"/{channel_ngn.code}/basket/")

    assert response.status_code == 200
    product, [warranty] = product_and_plan({line.pk: line for line in Line.objects.filter(basket=mine)})
    assert warranty.parent_line_id == product.pk

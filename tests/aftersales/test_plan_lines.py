"""A plan is its own basket and order line, tied to its product line."""

from decimal import Decimal

import pytest
from django.core import mail

from marketplace.aftersales.models import BasketWarranty, OrderWarranty
from marketplace.aftersales.services import WarrantyError, basket_line_plan_set
from marketplace.basket.models import Line
from marketplace.order.services import CheckoutError
from marketplace.partner.models import StockRecord
from tests.checkout.builders import basket_with, place

from .conftest import plan

pytestmark = pytest.mark.django_db


def with_plan(channel, listing, warranty, quantity=1):
    basket = basket_with(channel, (listing.product, quantity))
    product_line = basket.all_lines()[0]
    basket_line_plan_set(basket=basket, product_line=product_line, plan=warranty, expected_incl_tax=None)
    basket._lines = None
    return basket, product_line


def test_a_plan_line_is_priced_from_its_product_and_taxed(channel_ngn, phone_ng, plan_ng):
    basket, product_line = with_plan(channel_ngn, phone_ng, plan_ng)

    lines = basket.all_lines()
    assert len(lines) == 2
    warranty = lines[1]
    assert warranty.parent_line_id == product_line.pk
    assert warranty.unit_price_excl_tax == Decimal("15000.00")  # 10 % of 150,000
    assert warranty.unit_price_incl_tax == Decimal("16125.00")  # + 7.5 % VAT
    assert warranty.description == "1-year extended warranty for Redmi Note 13"


def test_the_plans_quantity_follows_its_product_and_goes_with_it(channel_ngn, phone_ng, plan_ng):
    basket, product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    warranty = Line.objects.get(parent_line=product_line)

    product_line = Line.objects.get(pk=product_line.pk)
    product_line.quantity = 3
    product_line.save()
    assert Line.objects.get(pk=warranty.pk).quantity == 3

    warranty.quantity = 7  # posted for the plan line itself: its product's still wins
    warranty.save()
    assert Line.objects.get(pk=warranty.pk).quantity == 3

    product_line.delete()
    assert not Line.objects.filter(pk=warranty.pk).exists()
    assert not BasketWarranty.objects.exists()


def test_a_plan_cannot_be_tied_to_a_plan_line(channel_ngn, phone_ng, plan_ng):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    warranty = basket.all_lines()[1]

    with pytest.raises(WarrantyError):
        basket_line_plan_set(basket=basket, product_line=warranty, plan=plan_ng, expected_incl_tax=None)


def test_a_plan_for_a_product_it_does_not_cover_is_refused(channel_ngn, charger_ng, plan_ng):
    basket = basket_with(channel_ngn, (charger_ng.product, 1))

    with pytest.raises(WarrantyError) as refused:
        basket_line_plan_set(basket=basket, product_line=basket.all_lines()[0], plan=plan_ng,
                             expected_incl_tax=None)

    assert "does not cover" in str(refused.value.message)
    assert Line.objects.count() == 1


def test_a_brands_plan_covers_only_that_brands_products(channel_ngn, phone_ng, phones):
    from marketplace.brands.models import Brand

    other = Brand.objects.create(name="Tecno", slug="tecno")
    tecno_plan = plan(channel_ngn, brand=other, categories=[phones])
    basket = basket_with(channel_ngn, (phone_ng.product, 1))

    with pytest.raises(WarrantyError):
        basket_line_plan_set(basket=basket, product_line=basket.all_lines()[0], plan=tecno_plan,
                             expected_incl_tax=None)


def test_a_plan_of_another_channel_is_refused(channel_ngn, channel_kes, phone_ng, phones):
    basket = basket_with(channel_ngn, (phone_ng.product, 1))

    with pytest.raises(WarrantyError):
        basket_line_plan_set(basket=basket, product_line=basket.all_lines()[0],
                             plan=plan(channel_kes, categories=[phones]), expected_incl_tax=None)


def test_the_order_has_the_plan_line_and_takes_stock_for_the_product_only(channel_ngn, phone_ng, plan_ng):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=2)

    order = place(channel_ngn, basket).order

    product_line, warranty_line = order.lines.order_by("pk")
    assert warranty_line.parent_line_id == product_line.pk
    assert warranty_line.quantity == 2
    assert warranty_line.title == "1-year extended warranty for Redmi Note 13"
    assert warranty_line.line_price_incl_tax == Decimal("32250.00")
    bought = OrderWarranty.objects.get()
    assert (bought.line, bought.product_line, bought.plan, bought.months) == (
        warranty_line, product_line, plan_ng, 12
    )
    assert StockRecord.objects.get(pk=phone_ng.pk).num_allocated == 2
    # Totals include the plan: two phones, two plans, delivery.
    assert order.total_incl_tax == Decimal("322500.00") + Decimal("32250.00") + order.shipping_incl_tax


def test_the_confirmation_email_names_the_plan(channel_ngn, phone_ng, plan_ng, django_capture_on_commit_callbacks):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng)

    with django_capture_on_commit_callbacks(execute=True):
        place(channel_ngn, basket)

    assert "1-year extended warranty for Redmi Note 13" in mail.outbox[0].body


def test_a_changed_plan_price_refuses_the_order(channel_ngn, phone_ng, plan_ng):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    plan_ng.amount = Decimal("12")
    plan_ng.save()
    basket._lines = None

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, basket)

    assert "price" in str(refused.value.message)
    assert not OrderWarranty.objects.exists()
    assert not StockRecord.objects.get(pk=phone_ng.pk).num_allocated


def test_a_tampered_plan_line_price_refuses_the_order(channel_ngn, phone_ng, plan_ng):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    Line.objects.filter(parent_line__isnull=False).update(price_incl_tax=Decimal("1.00"))
    basket._lines = None

    with pytest.raises(CheckoutError):
        place(channel_ngn, basket)

    assert not StockRecord.objects.get(pk=phone_ng.pk).num_allocated


def test_a_plan_no_longer_covering_the_product_refuses_the_order(channel_ngn, phone_ng, plan_ng):
    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    plan_ng.categories.clear()
    basket._lines = None

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, basket)

    assert "no longer sold" in str(refused.value.message)


def test_a_cancelled_order_releases_the_product_stock_only(channel_ngn, phone_ng, plan_ng):
    from marketplace.order.models import stock_quantities

    basket, _product_line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=2)
    order = place(channel_ngn, basket).order

    assert stock_quantities(order.lines.all()) == [(phone_ng.pk, 2)]


def test_a_plan_whose_product_line_left_the_basket_refuses_the_order(channel_ngn, phone_ng, plan_ng):
    # Oscar's "save for later" moves the product line to another basket; the plan line
    # stays behind, tied to a line that is no longer in this basket.
    basket, product_line = with_plan(channel_ngn, phone_ng, plan_ng)
    elsewhere = basket_with(channel_ngn)
    Line.objects.filter(pk=product_line.pk).update(basket=elsewhere)
    basket._lines = None

    with pytest.raises(CheckoutError) as refused:
        place(channel_ngn, basket)

    assert "no longer sold" in str(refused.value.message)
    assert not OrderWarranty.objects.exists()

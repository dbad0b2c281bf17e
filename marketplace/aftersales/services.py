"""
Writing warranty lines into baskets. Services write; each runs in one transaction.

``basket_line_plan_set`` ties a plan to a product line of the shopper's basket
(replacing the plan it had); ``basket_add_with_plan`` adds a product and its
plan together, or nothing. Both refuse, with a ``WarrantyError`` that says why:
a plan of another channel or not covering the product, a line that is itself
a plan, and a price other than the one the page showed (what the button
charges is what the page said).
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.channels import tax
from marketplace.partner import dependent_lines

from .lines import covering_plan_ids, forget
from .models import BasketWarranty, WarrantyPlan
from .pricing import plan_price


class WarrantyError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def plan_line_price(*, strategy, product_line, plan: WarrantyPlan):
    """``(excl_tax, incl_tax)`` of one unit of ``plan`` for ``product_line``, or a WarrantyError."""
    channel = strategy.channel
    if plan.channel_id != channel.pk or not plan.is_active:
        raise WarrantyError(_("This warranty plan is not offered in this country."))
    if plan.pk not in covering_plan_ids(channel=channel, product=product_line.product):
        raise WarrantyError(_("This warranty plan does not cover this product."))
    info = strategy.fetch_for_line(product_line, product_line.stockrecord)
    if not info.availability.is_available_to_buy or not info.price.exists:
        raise WarrantyError(_("This product cannot be bought here, so neither can its warranty."))
    excl = plan_price(pricing=plan.pricing, amount=plan.amount, product_price=info.price.excl_tax,
                      currency=channel.currency)
    return excl, excl + tax.tax_on(excl, strategy.tax_rate, channel.currency)


def basket_line_plan_set(*, basket, product_line, plan: WarrantyPlan, expected_incl_tax: Decimal | None):
    """Tie ``plan`` to ``product_line`` (a line of ``basket``); the warranty line."""
    if product_line.basket_id != basket.pk or product_line.parent_line_id is not None:
        raise WarrantyError(_("A warranty is bought with a product in your basket."))
    excl, incl = plan_line_price(strategy=basket.strategy, product_line=product_line, plan=plan)
    if expected_incl_tax is not None and expected_incl_tax != incl:
        raise WarrantyError(_("The price of this warranty has changed. Please check it and try again."))
    with transaction.atomic():
        line, _created = basket.lines.update_or_create(
            line_reference=dependent_lines.reference("warranty", product_line),
            defaults={
                "product": product_line.product, "stockrecord": product_line.stockrecord,
                "parent_line": product_line, "quantity": product_line.quantity,
                "price_currency": basket.strategy.channel.currency,
                "price_excl_tax": excl, "price_incl_tax": incl,
            },
        )
        BasketWarranty.objects.update_or_create(line=line, defaults={"plan": plan})
    forget(basket)
    basket.reset_offer_applications()
    basket._lines = None
    return line


def basket_add_with_plan(*, basket, product, quantity: int, options, plan, expected_incl_tax):
    """Add ``product`` and its warranty ``plan`` together: both, or neither."""
    # Checked before anything is written (a new shopper's basket included).
    info = basket.strategy.fetch_for_product(product)
    trial = basket.lines.model(basket=basket, product=product, stockrecord=info.stockrecord, quantity=quantity)
    _excl, incl = plan_line_price(strategy=basket.strategy, product_line=trial, plan=plan)
    if expected_incl_tax is not None and expected_incl_tax != incl:
        raise WarrantyError(_("The price of this warranty has changed. Please check it and try again."))
    with transaction.atomic():
        product_line, _created = basket.add_product(product, quantity, options)
        basket._lines = None
        return basket_line_plan_set(
            basket=basket, product_line=product_line, plan=plan, expected_incl_tax=expected_incl_tax
        )

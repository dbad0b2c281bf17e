"""
Warranty lines in baskets and orders: the ``DependentLineKind`` the strategy asks.

A warranty line is a basket line tied to its product line (``parent_line``),
with the product line's product and listing (the seller sells the cover), its
plan in ``BasketWarranty``. The plans of a basket's warranty lines are read once
per basket and request (one query, two with translations).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import BasketWarranty, OrderWarranty, WarrantyPlanTranslation
from .pricing import plan_price
from .selectors import plans_for_product

_CACHE = "_warranty_lines"


def basket_warranties(basket) -> dict:
    """``{line id: BasketWarranty}`` of the basket's warranty lines, plans and texts loaded."""
    cached = basket.__dict__.get(_CACHE)
    if cached is None:
        rows = BasketWarranty.objects.filter(line__basket_id=basket.pk).select_related("line", "plan").prefetch_related(
            Prefetch("plan__translations", WarrantyPlanTranslation.objects.all())
        )
        cached = {row.line_id: row for row in rows}
        basket.__dict__[_CACHE] = cached
    return cached


def forget(basket) -> None:
    """Read the plans afresh on next use (their rows may have changed meanwhile)."""
    basket.__dict__.pop(_CACHE, None)


def covering_plan_ids(*, channel, product, languages=()) -> set[int]:
    return {plan.pk for plan in plans_for_product(channel=channel, product=product, languages=languages)}


class WarrantyLines:
    def forget(self, basket) -> None:
        forget(basket)

    def handles(self, line) -> bool:
        return line.pk in basket_warranties(line.basket)

    def price_excl_tax(self, *, line, parent_line, parent_price, channel):
        row = basket_warranties(line.basket).get(line.pk)
        if row is None:
            return None
        plan = row.plan
        if not plan.is_active or plan.channel_id != channel.pk:
            return None
        if plan.pk not in covering_plan_ids(channel=channel, product=parent_line.product):
            return None
        return plan_price(
            pricing=plan.pricing, amount=plan.amount, product_price=parent_price.excl_tax,
            currency=channel.currency,
        )

    def title(self, *, line, languages) -> str:
        from marketplace.localisation.catalogue import product_title

        row = basket_warranties(line.basket)[line.pk]
        return _("%(plan)s for %(product)s") % {
            "plan": row.plan.name_in(languages),
            "product": product_title(line.product, languages),
        }

    def order_line_created(self, *, basket_line, order_line) -> None:
        plan = basket_warranties(basket_line.basket)[basket_line.pk].plan
        OrderWarranty.objects.create(
            line=order_line, product_line=order_line.parent_line, plan=plan, months=plan.months,
            after_months=plan.after_months,
        )

"""What a page offers: each plan with its price for a product, as the button charges it."""

from dataclasses import dataclass
from decimal import Decimal

from marketplace.channels import tax

from .models import WarrantyPlan
from .pricing import plan_price


@dataclass(frozen=True)
class PlanOffer:
    plan: WarrantyPlan
    name: str
    terms: str
    excl_tax: Decimal
    incl_tax: Decimal
    currency: str


def plan_offers(*, plans, price, strategy, languages) -> list[PlanOffer]:
    """The plans priced on ``price`` (a product's ``PurchaseInfo.price``), tax included."""
    if not price.exists:
        return []
    currency = strategy.channel.currency
    offers = []
    for plan in plans:
        excl = plan_price(pricing=plan.pricing, amount=plan.amount, product_price=price.excl_tax,
                          currency=currency)
        offers.append(PlanOffer(
            plan=plan, name=plan.name_in(languages), terms=plan.terms_in(languages),
            excl_tax=excl, incl_tax=excl + tax.tax_on(excl, strategy.tax_rate, currency),
            currency=currency,
        ))
    return offers

"""Template tags for the small after-sales includes of the product and basket pages."""

from django import template

from marketplace.localisation.content import current_languages

from ..lines import basket_warranties
from ..offers import plan_offers
from ..selectors import plans_for_product

register = template.Library()


@register.simple_tag(takes_context=True)
def product_plan_offers(context, product, price):
    """The plans covering ``product`` here, priced (only asked when the page knows some apply)."""
    request = context["request"]
    strategy = request.strategy
    plans = plans_for_product(channel=strategy.channel, product=product,
                              languages=current_languages(strategy.channel))
    return plan_offers(plans=plans, price=price, strategy=strategy,
                       languages=current_languages(strategy.channel))


@register.simple_tag(takes_context=True)
def line_plan_offers(context, line):
    """For a product line of the basket without a warranty: the plans it may add."""
    if line.parent_line_id is not None or not line.pk:
        return []
    basket = line.basket
    if any(row.line.parent_line_id == line.pk for row in basket_warranties(basket).values()):
        return []
    strategy = context["request"].strategy
    languages = current_languages(strategy.channel)
    plans = plans_for_product(channel=strategy.channel, product=line.product, languages=languages)
    if not plans:
        return []
    return plan_offers(plans=plans, price=line.purchase_info.price, strategy=strategy, languages=languages)

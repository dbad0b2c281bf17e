"""``{% exclusive_on product as exclusive %}``: the exclusive in force on a product here."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def exclusive_on(context, product):
    """The channel strategy's answer (a ``rules.Rule`` with ``store_name``), or None."""
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    finder = getattr(strategy, "exclusive_rule", None)
    return finder(product) if finder is not None and product is not None else None

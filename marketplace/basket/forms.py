"""
Oscar's basket forms, with a variant choice that says each variant's price.

For a parent product Oscar offers its variants in their stored order, so the
one selected first was not the one the page priced the product at: the page
said "From ₦215,500" and the button added the ₦246,500 variant. Here the
variant selected first is the strategy's ``default_variant`` (the cheapest that
can be bought, the price the page shows), every option names its price, and
carries it in ``data-`` attributes for ``js/variants.js`` to update the shown
price when another is chosen (no inline script; right without JavaScript too).
"""

from django import forms
from django.utils.translation import gettext as _
from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F401,F403  (Oscar's other basket forms)
from oscar.forms import widgets

from marketplace.channels.templatetags.money import currency as format_money
from marketplace.localisation.catalogue import product_title


class VariantSelect(widgets.AdvancedSelect):
    """Oscar's select with disabled values, and per-option attributes (the prices)."""

    def __init__(self, attrs=None, choices=(), disabled_values=(), option_attrs=None):
        super().__init__(attrs, choices, disabled_values)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


def _price_attrs(price) -> dict:
    if not price.exists:
        return {}
    attrs = {"data-price": format_money(price.incl_tax, price.currency)}
    if price.is_tax_known and price.tax:
        attrs["data-tax-note"] = _("Includes %(tax)s tax") % {
            "tax": format_money(price.tax, price.currency)
        }
    return attrs


class AddToBasketForm(oscar_forms.AddToBasketForm):
    def _create_parent_product_fields(self, product):
        strategy = self.basket.strategy
        choices, disabled, option_attrs, children_stock = [], [], {}, []
        for child in product.get_public_children():
            info = strategy.fetch_for_product(child)
            summary = child.attribute_summary or product_title(child)
            if info.price.exists:
                summary = _("%(variant)s: %(price)s") % {
                    "variant": summary,
                    "price": format_money(info.price.incl_tax, info.price.currency),
                }
            if not info.availability.is_available_to_buy:
                disabled.append(child.pk)
            choices.append((child.pk, summary))
            option_attrs[str(child.pk)] = _price_attrs(info.price)
            children_stock.append((child, info.stockrecord))

        default = getattr(strategy, "default_variant", None)
        chosen = default(children_stock) if default else None
        self.fields["child_id"] = forms.ChoiceField(
            choices=tuple(choices),
            label=_("Variant"),
            initial=chosen[0].pk if chosen else None,
            widget=VariantSelect(
                attrs={"data-variant-select": ""}, disabled_values=disabled,
                option_attrs=option_attrs,
            ),
        )


class SimpleAddToBasketForm(oscar_forms.SimpleAddToBasketMixin, AddToBasketForm):
    """Quantity 1, hidden (as Oscar's), with our variant choice."""

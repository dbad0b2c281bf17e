"""
``{% load order_summary %}``: what an order costs and how it is paid, for the
confirmation and order pages.

- ``{% order_payment order as payment %}``: ``payment.due_on_delivery`` (no
  online payment: the whole total is paid on delivery), ``payment.amount`` and
  ``payment.currency`` (the order's), ``payment.online`` (the latest online
  payment, or None).
- ``{% order_taxes order as taxes %}``: ``taxes.components`` (name and rate,
  formatted for the language and country), ``taxes.total``: the tax the order
  was charged, as it was on the day (``OrderTax`` rows), shown as the preview
  showed it.
"""

from babel.numbers import format_percent
from django import template
from django.conf import settings
from django.utils import translation

from marketplace.channels.tax_names import tax_label
from marketplace.payments.selectors import payment_for_order

register = template.Library()


@register.simple_tag
def order_payment(order):
    online = payment_for_order(order)
    return {
        "due_on_delivery": online is None,
        "amount": order.total_incl_tax,
        "currency": order.currency,
        "online": online,
    }


@register.simple_tag
def order_taxes(order):
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    locale = order.channel.locale(language)
    return {
        "components": [
            {"name": tax_label(tax.name), "rate": format_percent(tax.rate, "#,##0.##%", locale=locale)}
            for tax in order.taxes.all()
        ],
        "total": order.total_tax,
    }

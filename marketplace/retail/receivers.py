"""Plugging partner shops into checkout, placement and orders, from above (see ``hooks``)."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from marketplace.order.hooks import register_payment_filter, register_placement_check
from marketplace.shipping.providers import register

from . import services

register(services.shop_methods)
register_placement_check(services.check_placement)
register_payment_filter(services.shop_payment_options)


@receiver(order_placed, dispatch_uid="retail:route-order")
def route_to_shop(sender, order, **kwargs):
    # Inside the order transaction: the order and its routing commit together.
    services.retail_order_open(order)

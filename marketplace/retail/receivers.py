"""Plugging partner shops into checkout, placement and orders, from above (see ``hooks``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from marketplace.order.hooks import register_payment_filter, register_placement_check
from marketplace.shipping.providers import register
from marketplace.thumbnails.services import queue_picture_renditions

from . import services
from .models import Retailer

register(services.shop_methods)
register_placement_check(services.check_placement)
register_payment_filter(services.shop_payment_options)


@receiver(order_placed, dispatch_uid="retail:route-order")
def route_to_shop(sender, order, **kwargs):
    # Inside the order transaction: the order and its routing commit together.
    services.retail_order_open(order)


@receiver(post_save, sender=Retailer, dispatch_uid="retail:photo-renditions")
def photo_renditions(sender, instance, raw=False, **kwargs):
    # The shop's page shows its photo in WebP at the size it is shown.
    if not raw and instance.photo:
        queue_picture_renditions(instance.photo.name, "shop-photo")

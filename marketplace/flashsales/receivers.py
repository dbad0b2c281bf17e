"""
Flash sales listen to order placement, basket lines and their own rows.

- ``order_placed`` (sent inside the order transaction): the order's reservations
  become ordered, or the order is refused (``conversion``).
- a basket line holding a reservation deleted: its units go back now.
- a sale or item saved: the cached card and Redis's copy follow, and the pages
  of the sale's channels render afresh.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from marketplace.basket.models import Line
from marketplace.pagecache.versions import bump

from . import admission
from .conversion import flash_lines, reservations_order
from .models import Reservation, Sale, SaleItem


@receiver(order_placed, dispatch_uid="flashsales.order_placed")
def _order_placed(sender, order, user, **kwargs):
    basket = order.basket  # the placing basket, its lines loaded: no query for other baskets
    if basket is None:
        return
    lines = flash_lines(basket.all_lines())
    if lines:
        reservations_order(order=order, lines=lines)


@receiver(post_delete, sender=Line, dispatch_uid="flashsales.line_deleted")
def _line_deleted(sender, instance, **kwargs):
    reference = instance.line_reference or ""
    if not reference.startswith(admission.LINE_PREFIX):
        return
    reservation = Reservation.objects.filter(
        token=reference[len(admission.LINE_PREFIX):], status=Reservation.RESERVED
    ).first()
    if reservation is not None:
        transaction.on_commit(lambda: admission.reservation_release(reservation=reservation))


def _sale_channels(sale_id):
    return list(Sale.channels.through.objects.filter(sale_id=sale_id).values_list("channel_id", flat=True))


@receiver(post_save, sender=Sale, dispatch_uid="flashsales.sale_saved")
def _sale_saved(sender, instance, **kwargs):
    item_ids = list(instance.items.values_list("pk", flat=True))

    def follow():
        for item_id in item_ids:
            admission.item_changed(item_id=item_id)

    transaction.on_commit(follow)
    bump(channel_ids=_sale_channels(instance.pk))


@receiver(m2m_changed, sender=Sale.channels.through, dispatch_uid="flashsales.sale_channels")
def _sale_channels_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        bump(channel_ids=list(pk_set or []) + _sale_channels(instance.pk))


@receiver(post_save, sender=SaleItem, dispatch_uid="flashsales.item_saved")
@receiver(post_delete, sender=SaleItem, dispatch_uid="flashsales.item_deleted")
def _item_saved(sender, instance, **kwargs):
    item_id = instance.pk
    transaction.on_commit(lambda: admission.item_changed(item_id=item_id))
    bump(channel_ids=_sale_channels(instance.sale_id))

"""
A sale's units are held out of its listing's regular stock while the sale runs.

Held units are allocated on the listing (``num_allocated``), so the strategy, the
one place that decides availability, already counts them as gone for regular
buyers (``num_in_stock - num_allocated``), and the conditional allocation of a
regular order (``order.stock``) can never take them: no new query on any page.
``SaleItem.units_held`` says how many of the listing's allocated units are the
sale's and not yet any order's.

- approval holds every item's units (refused, nothing held, if a listing lacks them);
- an order of a reservation moves its units from the sale's hold to the order
  (the listing's allocation is unchanged: ``order.services`` skips such lines);
- a stop, or the end (the beat sweep), gives what is still held back to regular stock.

Lock order is the listing, then the sale item, as an order's (it allocates its
listings first, then converts reservations): the two never deadlock.
"""

from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from marketplace.pagecache.versions import bump
from marketplace.partner.models import StockRecord

from .models import Reservation, Sale, SaleItem


class NotEnoughStock(Exception):
    def __init__(self, item):
        self.item = item
        super().__init__(item.pk)


def sale_hold(*, sale: Sale) -> None:
    """Hold every item's units on its listing; all or none (with the caller's transaction)."""
    with transaction.atomic():
        for item in sale.items.select_related("listing").order_by("listing_id"):
            item_hold(item=item)


def item_hold(*, item: SaleItem) -> None:
    """Hold the item's units not held yet nor ordered (approval, or an item of an approved sale)."""
    with transaction.atomic():
        ordered = Reservation.objects.filter(item_id=item.pk, status=Reservation.ORDERED).aggregate(
            n=Coalesce(Sum("quantity"), 0))["n"]
        missing = item.units - ordered - _held(item.pk)
        if missing <= 0:
            return
        allocated = Coalesce(F("num_allocated"), 0)
        if not StockRecord.objects.filter(pk=item.listing_id, num_in_stock__gte=allocated + missing).update(
            num_allocated=allocated + missing
        ):
            raise NotEnoughStock(item)
        SaleItem.objects.filter(pk=item.pk).update(units_held=F("units_held") + missing)
        item.units_held = item.units - ordered
    _pages_show(item.listing_id)


def hold_to_order(*, item_id: int, quantity: int) -> bool:
    """Inside the order transaction: ``quantity`` held units become the order's. False if not held."""
    # One statement written out (every order of a flash item runs it): the ORM built it anew each time.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE flashsales_saleitem SET units_held = units_held - %s WHERE id = %s AND units_held >= %s",
            [quantity, item_id, quantity],
        )
        return cursor.rowcount > 0


def sale_release(*, sale_id: int) -> int:
    """Give every item's still-held units back to regular stock (stop, end). The units."""
    released = 0
    for item_id, listing_id in (
        SaleItem.objects.filter(sale_id=sale_id, units_held__gt=0).order_by("listing_id")
        .values_list("pk", "listing_id")
    ):
        released += item_release(item_id=item_id, listing_id=listing_id)
    return released


def item_release(*, item_id: int, listing_id: int) -> int:
    with transaction.atomic():
        # The listing first (the order's lock order), then the item's hold, read locked.
        # NO KEY UPDATE, as an allocation's UPDATE: a claim's new basket line (its key
        # share on the listing) never waits for it.
        StockRecord.objects.select_for_update(no_key=True).filter(pk=listing_id).values_list("pk").first()
        held = _held(item_id, lock=True)
        if held <= 0:
            return 0
        SaleItem.objects.filter(pk=item_id).update(units_held=0)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partner_stockrecord SET num_allocated = num_allocated - %s"
                " WHERE id = %s AND num_allocated >= %s",
                [held, listing_id, held],
            )
    _pages_show(listing_id)
    return held


def ended_release(*, moment) -> int:
    """The beat sweep: sales that ended (or were stopped) give back what they still hold."""
    sale_ids = (
        SaleItem.objects.filter(units_held__gt=0)
        .exclude(sale__status=Sale.APPROVED, sale__ends_at__gt=moment)
        .exclude(sale__status__in=(Sale.DRAFT, Sale.SUBMITTED))
        .values_list("sale_id", flat=True).distinct()
    )
    return sum(sale_release(sale_id=sale_id) for sale_id in sorted(set(sale_ids)))


def _held(item_id: int, lock: bool = False) -> int:
    rows = SaleItem.objects.filter(pk=item_id)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("units_held", flat=True).first() or 0


def _pages_show(listing_id: int) -> None:
    bump(channel_ids=StockRecord.objects.filter(pk=listing_id).values_list("channel_id", flat=True))

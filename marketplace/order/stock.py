"""
Stock allocation that never oversells.

Oscar's own path checks availability in Python, outside any lock, and then
increments ``num_allocated``: two checkouts can both see the last unit. Here
each listing is taken with one conditional UPDATE that only succeeds while
enough stock is left; PostgreSQL re-evaluates the condition on the latest row
version after waiting for a concurrent writer, so the check and the write are
one step. Listings are updated in primary-key order so two orders sharing
listings lock them in the same order and never deadlock. The CHECK constraint
``listing_allocated_within_stock`` is the last line of defence.

Call these inside the order transaction.

A queryset ``update()`` sends no signal, so each of these bumps the page versions
itself: the product pages of the listings (they count the units left), and the
whole channel only when a listing sold out or came back (``_pages_show_new_stock``).
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from marketplace.pagecache.versions import bump, bump_stock
from marketplace.partner.models import StockRecord


class SoldOut(Exception):
    """Not enough stock left for a listing; nothing was allocated."""

    def __init__(self, listing_id: int, requested: int):
        self.listing_id = listing_id
        self.requested = requested
        super().__init__(listing_id, requested)

    @property
    def message(self):
        return _("Sorry, there is not enough stock left of an item in your basket.")


def _merged(quantities: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    totals: Counter[int] = Counter()
    for listing_id, quantity in quantities:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        totals[listing_id] += quantity
    return sorted(totals.items())  # primary-key order: no deadlocks


def allocate(quantities: Iterable[tuple[int, int]], held: Iterable[int] = ()) -> None:
    """Allocate ``(listing_id, quantity)`` pairs, all or nothing (with the transaction).

    ``held``: listings whose units this order takes over from an allocation made
    already (a flash sale's hold): locked in the same primary-key order, not counted again.
    """
    allocated = Coalesce(F("num_allocated"), 0)
    merged = _merged(quantities)
    to_lock = sorted(set(held) - {listing_id for listing_id, _quantity in merged})
    for listing_id, quantity in sorted([*merged, *((pk, 0) for pk in to_lock)]):
        if quantity == 0:
            _share_lock(listing_id)
            continue
        updated = StockRecord.objects.filter(
            pk=listing_id, is_live=True, num_in_stock__gte=allocated + quantity
        ).update(num_allocated=allocated + quantity)
        if not updated:
            raise SoldOut(listing_id, quantity)
    _pages_show_new_stock(merged, delta=-1)


def _share_lock(listing_id: int) -> None:
    """Lock a held listing's row against change, not against other orders taking its held units.

    FOR SHARE: an exclusive rule being created (FOR UPDATE, ``exclusives.services``) or a
    sale's hold being given back (NO KEY UPDATE, ``flashsales.holds``) waits for this order,
    as this order waits for them; but orders taking units already held on the listing (a
    flash sale's hot item) do not wait for each other, so they are not placed one at a time
    for the whole of each order's creation. Nothing in the order transaction updates this
    row afterwards (its units are allocated already), so no lock is ever upgraded. A basket
    line being added (a key share) never waits for it either. SQLite has no row locks:
    its writers are serialised by the database's own lock.
    """
    if connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {StockRecord._meta.db_table} WHERE id = %s FOR SHARE", [listing_id])


def release(quantities: Iterable[tuple[int, int]]) -> list[int]:
    """Give allocated units back (an order cancelled before it shipped).

    Returns the listings that held fewer allocated units than asked (left as
    they were): a sign the count was changed by hand, for the caller to log.
    """
    allocated = Coalesce(F("num_allocated"), 0)
    short = []
    merged = _merged(quantities)
    for listing_id, quantity in merged:
        if not StockRecord.objects.filter(pk=listing_id, num_allocated__gte=quantity).update(
            num_allocated=allocated - quantity
        ):
            short.append(listing_id)
    _pages_show_new_stock(merged, delta=+1)
    return short


def consume(quantities: Iterable[tuple[int, int]]) -> list[int]:
    """The units left the warehouse (an order shipped): lower stock and allocation together.

    Oscar's ``consume_allocation`` semantics, as one conditional UPDATE per
    listing so a concurrent allocation or stock count is never overwritten.
    Returns the listings that could not be consumed (left as they were).
    """
    allocated = Coalesce(F("num_allocated"), 0)
    short = []
    merged = _merged(quantities)
    for listing_id, quantity in merged:
        if not StockRecord.objects.filter(
            pk=listing_id, num_allocated__gte=quantity, num_in_stock__gte=quantity
        ).update(num_allocated=allocated - quantity, num_in_stock=F("num_in_stock") - quantity):
            short.append(listing_id)
    _pages_show_new_stock(merged, delta=0)
    return short


def restock(quantities: Iterable[tuple[int, int]]) -> None:
    """Units came back (a return received): they are in stock again, sold to the next shopper.

    One relative UPDATE per listing, so a concurrent allocation or count is kept.
    """
    merged = _merged(quantities)
    for listing_id, quantity in merged:
        StockRecord.objects.filter(pk=listing_id).update(num_in_stock=Coalesce("num_in_stock", 0) + quantity)
    _pages_show_new_stock(merged, delta=1)


def _pages_show_new_stock(quantities, *, delta: int) -> None:
    """Bump the pages that show these listings' units left, after the UPDATEs above.

    ``delta`` is what each UPDATE did to the units left per unit of quantity (-1 for an
    allocation, +1 for a release, 0 for a consumption). Only the product's own page
    counts units (its token, its parent's for a variant); every other page of a
    channel shows only whether a listing can be bought, so the channel's stock
    status moves only when one crossed zero. The rows are locked by this
    transaction's UPDATEs, so what is read here is exactly what they left.
    A partner shop's page counts its listings' units: its channel's token moves.
    """
    wanted = dict(quantities)
    if not wanted:
        return
    products, crossed, shops = set(), set(), set()
    rows = StockRecord.objects.filter(pk__in=wanted).values_list(
        "pk", "channel_id", "product_id", "product__parent_id", "num_in_stock", "num_allocated",
        "partner__is_local_shop",
    )
    for pk, channel_id, product_id, parent_id, in_stock, allocated, local_shop in rows:
        products.add((channel_id, product_id))
        if parent_id is not None:
            products.add((channel_id, parent_id))
        left = (in_stock or 0) - (allocated or 0)
        before = left - delta * wanted[pk]
        if (left > 0) != (before > 0):
            crossed.add(channel_id)
        if local_shop:
            shops.add(channel_id)
    bump_stock(products=products, status_channel_ids=crossed)
    if shops:
        bump(channel_ids=shops)

"""
Reading flash sales: the item card the hot path needs (from the cache), units
left (from Redis, or the cache's snapshot on the database path), and the sales a
channel's pages show.
"""

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from marketplace.compiledquery import UUID_SENTINEL, Compiled, CompiledCache

from . import rules
from .models import Reservation, Sale, SaleItem

_CARD_KEY = "flashsales:card:{id}"
_LEFT_KEY = "flashsales:left:{id}"
_NO_ITEM = "-"  # a cached "no such item": a flood of bogus ids never reaches PostgreSQL


@dataclass(frozen=True)
class ItemCard:
    """What admission needs to know of an item, kept in the shared cache."""

    id: int
    sale_id: int
    channel_id: int
    listing_id: int
    product_id: int
    sale_price: Decimal
    units: int
    per_shopper: int
    per_order: int | None
    starts_at: datetime
    ends_at: datetime
    approved: bool
    stopped: bool
    reservation_minutes: int

    @property
    def limits(self) -> rules.ItemLimits:
        return rules.ItemLimits(units=self.units, per_shopper=self.per_shopper, per_order=self.per_order)

    def state(self, moment: datetime) -> str:
        return rules.sale_state(approved=self.approved, stopped=self.stopped, starts_at=self.starts_at,
                                ends_at=self.ends_at, moment=moment)


def card_from_item(item: SaleItem) -> ItemCard:
    sale, listing = item.sale, item.listing
    return ItemCard(
        id=item.pk, sale_id=sale.pk, channel_id=listing.channel_id, listing_id=listing.pk,
        product_id=listing.product_id, sale_price=item.sale_price, units=item.units,
        per_shopper=item.per_shopper_limit, per_order=item.per_order_limit, starts_at=sale.starts_at,
        ends_at=sale.ends_at, approved=sale.status == Sale.APPROVED, stopped=sale.status == Sale.STOPPED,
        reservation_minutes=sale.reservation_minutes,
    )


# Each process keeps cards for a second: the hot path then needs no cache round trip for
# them. Safe to be a second late: the Redis script and the database path's UPDATE check the
# window and a stop themselves; the card only answers refusals early.
_LOCAL: dict[int, tuple[float, object]] = {}
_LOCAL_SECONDS = 1.0


def item_card(item_id: int) -> ItemCard | None:
    now = time.monotonic()
    kept = _LOCAL.get(item_id)
    if kept is not None and now - kept[0] < _LOCAL_SECONDS:
        return kept[1]
    card = _shared_card(item_id)
    if len(_LOCAL) > 10_000:
        _LOCAL.clear()
    _LOCAL[item_id] = (now, card)
    return card


def _shared_card(item_id: int) -> ItemCard | None:
    key = _CARD_KEY.format(id=item_id)
    card = cache.get(key)
    if card == _NO_ITEM:
        return None
    if card is None:
        item = SaleItem.objects.select_related("sale", "listing").filter(pk=item_id).first()
        if item is None:
            cache.set(key, _NO_ITEM, 30)
            return None
        card = card_from_item(item)
        cache.set(key, card, settings.FLASHSALES_CARD_SECONDS)
    return card


def forget_card(item_id: int) -> None:
    _LOCAL.pop(item_id, None)
    cache.delete_many([_CARD_KEY.format(id=item_id), _LEFT_KEY.format(id=item_id)])


def units_left_in_database(item_id: int, moment: datetime | None = None) -> int:
    """Units left by the database's counters, with reservations past their expiry given back."""
    moment = moment or timezone.now()
    item = SaleItem.objects.filter(pk=item_id).values("units", "units_taken").first()
    if item is None:
        return 0
    overdue = Reservation.objects.filter(
        item_id=item_id, status=Reservation.RESERVED, via_redis=False, expires_at__lte=moment
    ).aggregate(n=Sum("quantity"))["n"] or 0
    return rules.units_left(units=item["units"], taken=item["units_taken"] - overdue)


def cached_units_left(item_id: int) -> int | None:
    return cache.get(_LEFT_KEY.format(id=item_id))


def remember_units_left(item_id: int, left: int) -> None:
    # A snapshot for the database path's polls: at most a second old.
    cache.set(_LEFT_KEY.format(id=item_id), left, 1)


def sales_for_channel(channel, moment: datetime | None = None) -> list[Sale]:
    """Approved sales of ``channel`` not over yet, soonest first, with their items to show."""
    moment = moment or timezone.now()
    sales = list(
        Sale.objects.shown(moment).filter(channels=channel)
        .select_related("festival").prefetch_related("festival__translations").order_by("starts_at", "pk")
    )
    if not sales:
        return sales
    items = (
        SaleItem.objects.filter(sale__in=sales, listing__channel=channel, listing__is_live=True)
        .select_related("listing", "listing__product", "listing__product__parent", "listing__partner")
        # Titles in every language with the items: the cached list serves each language of the
        # channel with no query per item (a translation's change moves the page version).
        .prefetch_related("listing__product__translations", "listing__product__parent__translations")
        .order_by("pk")
    )
    by_sale: dict[int, list[SaleItem]] = {}
    for item in items:
        by_sale.setdefault(item.sale_id, []).append(item)
    for sale in sales:
        sale.channel_items = by_sale.get(sale.pk, [])
    return [sale for sale in sales if sale.channel_items]


def shown_sales(channel) -> list[Sale]:
    """``sales_for_channel``, kept in the cache under the channel's page version.

    Every change to a sale or an item bumps that version (and a sale starting or
    ending changes it on the second), so pages read their sales with no query
    between changes: a home page without any sale costs what it did before.
    """
    from marketplace.pagecache.versions import page_version

    key = f"flashsales:shown:{channel.pk}:{page_version(channel)}"
    sales = cache.get(key)
    if sales is None:
        sales = sales_for_channel(channel)
        cache.set(key, sales, settings.FLASHSALES_CARD_SECONDS)
    return sales


def strip_sales(channel, moment: datetime | None = None, seller_id: int | None = None) -> tuple[Sale | None, Sale | None]:
    """The live sale and the next one, for the home page's strip (or one seller's store page)."""
    moment = moment or timezone.now()
    sales = [sale for sale in shown_sales(channel)
             if sale.ends_at > moment and (seller_id is None or sale.seller_id == seller_id)]
    live = next((s for s in sales if s.state(moment) == rules.LIVE), None)
    upcoming = next((s for s in sales if s.state(moment) == rules.UPCOMING), None)
    return live, upcoming


def shown_item_for_listing(channel, listing_id: int, moment: datetime | None = None) -> SaleItem | None:
    """The shown (live or upcoming) sale item of a listing: product and store pages, no query."""
    moment = moment or timezone.now()
    for sale in shown_sales(channel):
        if sale.ends_at <= moment:
            continue
        for item in sale.channel_items:
            if item.listing_id == listing_id:
                return item
    return None


_BY_TOKEN = CompiledCache()


def reservation_by_token(token) -> Reservation | None:
    """The reservation ``token`` (a UUID) names, with its item and sale.

    Every checkout page and order POST of a claim reads it (the claim, then the line's
    terms): the query is compiled once per process (``compiledquery``).
    """
    compiled = _BY_TOKEN.get(lambda: Compiled(
        Reservation.objects.select_related("item__sale").filter(token=UUID_SENTINEL)[:1], UUID_SENTINEL))
    found = compiled.run(token)
    return found[0] if found else None

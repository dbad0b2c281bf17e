"""
Admission, the hot path: "Buy now" claims units for a shopper in one atomic step.

With Redis (``FLASHSALES_CLAIMS = "redis"``) one Lua script checks the window, the
units left and the shopper's count and claims, in one round trip; a refusal
(sold out, not started, ended, over the limit) never touches PostgreSQL. Without
Redis the same rules hold in the database: the shopper's count and the item's
count are each one conditional UPDATE, in one short transaction, the item's last
so its row lock is held only until the commit; CHECK constraints bound both.

A granted claim becomes a ``Reservation`` row and a basket line at the sale
price (``terms``), in one transaction. Placing the order turns the reservation
into the order's allocation (``conversion``). A reservation whose expiry passed
gives its units back at once: the Redis scripts purge overdue ones before they
count, the database path gives them back before it claims and counts them as
free when it reads; the beat task ``flashsales.sweep_reservations`` writes the
status down and catches up.

If Redis fails mid-sale, claims stop (``ClaimsUnavailable``, fail closed): a
claim is never granted without the count that bounds it. Reservations already
granted are rows in PostgreSQL and are ordered as usual. Setting
``FLASHSALES_CLAIMS=database`` moves claims to the database path; its counters
are rebuilt from the reservations the first time it sees each item.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from marketplace.basket.models import Line
from marketplace.pagecache.versions import bump, bump_basket

from . import messages, redis_claims, rules
from .models import Reservation, Sale, SaleItem, ShopperTally
from .selectors import ItemCard, forget_card, remember_units_left

logger = logging.getLogger(__name__)

LINE_PREFIX = "flash-"
_SOLD_OUT_KEY = "flashsales:soldout:{id}"
_DB_SYNCED_KEY = "flashsales:dbsynced:{id}"


class ClaimsUnavailable(Exception):
    """Claims cannot be counted safely right now (Redis is down): none is granted."""

    message = messages.CLAIMS_STOPPED


@dataclass(frozen=True)
class Answer:
    code: str                      # "ok" or a refusal code of ``rules``
    message: str
    left: int | None = None        # units left after this answer, when known
    reservation: Reservation | None = None

    @property
    def granted(self) -> bool:
        return self.code == "ok"


def uses_redis() -> bool:
    return settings.FLASHSALES_CLAIMS == "redis"


def shopper_for_user(user_id) -> str:
    return f"u:{user_id}"


def shopper_for_session(session_key: str) -> str:
    return f"s:{session_key}"


def shopper_for_contact(contact: str) -> str:
    return f"e:{contact.strip().lower()}"


def _refused(card: ItemCard, code: str, left=None) -> Answer:
    return Answer(code, messages.refusal(code, per_shopper=card.per_shopper, per_order=card.per_order), left)


def claim(*, card: ItemCard, shopper: str, quantity: int, basket, price) -> Answer:
    """Claim ``quantity`` units of ``card``'s item for ``shopper``, on ``basket`` at ``price``.

    ``price`` is the strategy's price of the sale price in the channel (tax added), or
    a function giving it (asked only for a granted claim): the line is written at
    exactly what the order will charge.
    """
    moment = timezone.now()
    # Answers that need no count: from the card, never from PostgreSQL.
    early = rules.claim_refusal(
        state=card.state(moment), limits=card.limits, taken=0, shopper_taken=0, quantity=quantity
    )
    if early is not None:
        return _refused(card, early)
    if uses_redis():
        return _claim_in_redis(card=card, shopper=shopper, quantity=quantity, basket=basket, price=price)
    return _claim_in_database(card=card, shopper=shopper, quantity=quantity, basket=basket, price=price,
                              moment=moment)


# Redis path ------------------------------------------------------------------


def _claim_in_redis(*, card, shopper, quantity, basket, price) -> Answer:
    token = uuid.uuid4()
    ttl_ms = card.reservation_minutes * 60_000
    try:
        code, left, expires_ms = redis_claims.run("claim", card.id, shopper, quantity, str(token), ttl_ms)
        if code == "unknown":
            publish(item_id=card.id)
            code, left, expires_ms = redis_claims.run("claim", card.id, shopper, quantity, str(token), ttl_ms)
    except redis.RedisError as error:
        logger.error("flash-sale claim refused, Redis failed: %s", error)
        raise ClaimsUnavailable from error
    left = int(left)
    if code != "ok":
        return _refused(card, code, left)
    expires_at = datetime.fromtimestamp(int(expires_ms) / 1000, tz=UTC)
    try:
        reservation = _write_reservation(card=card, token=token, shopper=shopper, quantity=quantity,
                                         basket=basket, price=price, expires_at=expires_at, via_redis=True)
    except BaseException:
        # The database did not take it: the units go back to the crowd.
        redis_claims.run("release", card.id, str(token))
        raise
    cache.delete(_DB_SYNCED_KEY.format(id=card.id))  # the database path must recount before it claims
    if left == 0:
        _sold_out(card)
    return Answer("ok", messages.granted(card.reservation_minutes), left, reservation)


def publish(*, item_id: int) -> None:
    """Put an item's terms and counts (from PostgreSQL, the record) into Redis."""
    item = SaleItem.objects.select_related("sale").get(pk=item_id)
    taken, ordered, tallies = _counts_from_reservations(item_id, timezone.now())
    redis_claims.publish(
        item_id=item.pk, units=item.units, starts_ms=_ms(item.sale.starts_at), ends_ms=_ms(item.sale.ends_at),
        limit=item.per_shopper_limit, per_order=item.per_order_limit,
        stopped=item.sale.status != Sale.APPROVED, taken=taken, ordered=ordered,
        tallies={s: n for s, n in tallies.items() if not s.startswith("e:")},
    )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# Database path ---------------------------------------------------------------

_TALLY_ADD = """
INSERT INTO flashsales_shoppertally (item_id, shopper, taken) VALUES (%s, %s, %s)
ON CONFLICT (item_id, shopper) DO UPDATE SET taken = flashsales_shoppertally.taken + EXCLUDED.taken
WHERE flashsales_shoppertally.taken + EXCLUDED.taken <= %s
RETURNING taken
"""

_ITEM_TAKE = """
UPDATE flashsales_saleitem SET units_taken = units_taken + %s
WHERE id = %s AND units_taken + %s <= units
  AND sale_id IN (SELECT id FROM flashsales_sale WHERE status = %s AND starts_at <= %s AND ends_at > %s)
RETURNING units - units_taken
"""


class _Refusal(Exception):
    def __init__(self, code):
        self.code = code


def _claim_in_database(*, card, shopper, quantity, basket, price, moment) -> Answer:
    # Sold out until the first reservation can expire: answered without PostgreSQL.
    until = cache.get(_SOLD_OUT_KEY.format(id=card.id))
    if until is not None and moment.timestamp() < until:
        return _refused(card, rules.SOLD_OUT, 0)
    _ensure_database_counts(card.id)
    give_back_overdue(item_id=card.id, moment=moment)
    token = uuid.uuid4()
    expires_at = moment + timedelta(minutes=card.reservation_minutes)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_TALLY_ADD, [card.id, shopper, quantity, card.per_shopper])
                if cursor.fetchone() is None:
                    raise _Refusal(rules.SHOPPER_LIMIT)
            reservation = _write_reservation(card=card, token=token, shopper=shopper, quantity=quantity,
                                             basket=basket, price=price, expires_at=expires_at, via_redis=False)
            # Last: the hot row stays locked only until the commit that follows.
            with connection.cursor() as cursor:
                cursor.execute(_ITEM_TAKE, [quantity, card.id, quantity, Sale.APPROVED, moment, moment])
                row = cursor.fetchone()
            if row is None:
                raise _Refusal(_why_not(card, quantity, moment))
    except _Refusal as refusal:
        if refusal.code == rules.SOLD_OUT:
            _remember_sold_out(card.id)
        return _refused(card, refusal.code)
    left = row[0]
    remember_units_left(card.id, left)
    if left == 0:
        _sold_out(card)
    return Answer("ok", messages.granted(card.reservation_minutes), left, reservation)


def _remember_sold_out(item_id: int) -> None:
    first_expiry = (
        Reservation.objects.filter(item_id=item_id, status=Reservation.RESERVED, via_redis=False)
        .order_by("expires_at").values_list("expires_at", flat=True).first()
    )
    if first_expiry is not None:
        cache.set(_SOLD_OUT_KEY.format(id=item_id), first_expiry.timestamp(),
                  max(int(first_expiry.timestamp() - time.time()), 1))
    else:  # all ordered: sold out for good (unless an order is cancelled and the sale changed)
        cache.set(_SOLD_OUT_KEY.format(id=item_id), float("inf"), 60)


def _why_not(card, quantity, moment) -> str:
    item = SaleItem.objects.select_related("sale").get(pk=card.id)
    return rules.claim_refusal(
        state=item.sale.state(moment), limits=item.limits, taken=item.units_taken, shopper_taken=0,
        quantity=quantity,
    ) or rules.SOLD_OUT


def give_back_overdue(*, item_id: int, moment: datetime) -> int:
    """Database path: reservations of the item past their expiry give their units back.

    Its own transaction, before a claim's: the claim then locks only its shopper's
    tally and the item, in that order, and never waits while holding the item.
    """
    with transaction.atomic():
        overdue = list(
            Reservation.objects.select_for_update(skip_locked=True)
            .filter(item_id=item_id, status=Reservation.RESERVED, via_redis=False, expires_at__lte=moment)
            .order_by("pk").values_list("pk", "shopper", "quantity", "basket_id")
        )
        if not overdue:
            return 0
        Reservation.objects.filter(pk__in=[pk for pk, *_rest in overdue]).update(status=Reservation.EXPIRED)
        _uncount(item_id, [(shopper, quantity) for _pk, shopper, quantity, _b in overdue])
        # The header's basket (a hole cached per basket version) shows the line's price
        # again without the sale's: a queryset update moves no basket version by itself.
        for basket_id in {basket_id for *_rest, basket_id in overdue}:
            bump_basket(basket_id)
    return sum(quantity for _pk, _s, quantity, _b in overdue)


def _uncount(item_id: int, held: list[tuple[str, int]]) -> None:
    """Take units off the database counters: tallies in shopper order, the item last."""
    per_shopper: dict[str, int] = {}
    for shopper, quantity in held:
        per_shopper[shopper] = per_shopper.get(shopper, 0) + quantity
    with connection.cursor() as cursor:
        for shopper, quantity in sorted(per_shopper.items()):
            cursor.execute(
                "UPDATE flashsales_shoppertally SET taken = taken - %s"
                " WHERE item_id = %s AND shopper = %s AND taken >= %s",
                [quantity, item_id, shopper, quantity],
            )
        total = sum(per_shopper.values())
        cursor.execute(
            "UPDATE flashsales_saleitem SET units_taken = units_taken - %s WHERE id = %s AND units_taken >= %s",
            [total, item_id, total],
        )
    cache.delete(_SOLD_OUT_KEY.format(id=item_id))


def _counts_from_reservations(item_id: int, moment: datetime):
    """Units held (reserved and not expired, or ordered), ordered, and per shopper: the record."""
    held = Reservation.objects.filter(item_id=item_id).filter(
        status__in=(Reservation.RESERVED, Reservation.ORDERED)
    ).exclude(status=Reservation.RESERVED, expires_at__lte=moment)
    taken = ordered = 0
    tallies: dict[str, int] = {}
    for shopper, status, quantity in held.values_list("shopper", "status", "quantity"):
        taken += quantity
        ordered += quantity if status == Reservation.ORDERED else 0
        tallies[shopper] = tallies.get(shopper, 0) + quantity
    return taken, ordered, tallies


def _ensure_database_counts(item_id: int) -> None:
    """Rebuild the database path's counters from the reservations once (after Redis counted)."""
    key = _DB_SYNCED_KEY.format(id=item_id)
    if cache.get(key):
        return
    with transaction.atomic():
        item = SaleItem.objects.select_for_update().get(pk=item_id)
        taken, _ordered, tallies = _counts_from_reservations(item_id, timezone.now())
        # Overdue database-path reservations are still in units_taken until given back.
        taken += sum(
            Reservation.objects.filter(item_id=item_id, status=Reservation.RESERVED, via_redis=False,
                                       expires_at__lte=timezone.now()).values_list("quantity", flat=True)
        )
        if item.units_taken != taken:
            logger.warning("flash-sale item %s: database count %s rebuilt as %s", item_id, item.units_taken, taken)
        SaleItem.objects.filter(pk=item_id).update(units_taken=min(taken, item.units))
        ShopperTally.objects.filter(item_id=item_id).exclude(shopper__startswith="e:").delete()
        ShopperTally.objects.bulk_create(
            [ShopperTally(item_id=item_id, shopper=s, taken=n) for s, n in tallies.items() if not s.startswith("e:")]
        )
    cache.set(key, 1, None)


# Both paths ------------------------------------------------------------------


def _write_reservation(*, card, token, shopper, quantity, basket, price, expires_at, via_redis) -> Reservation:
    """The reservation row and its basket line (and a new guest's basket), in one statement.

    One INSERT with data-modifying CTEs: atomic by itself (no BEGIN and COMMIT of its own
    around three INSERTs, five round trips to PostgreSQL where this is one; inside the
    database path's transaction it is one statement of it). Each row is built from its
    model's fields as ``save()`` would (defaults, ``auto_now_add``), so nothing of a row
    differs; what ``save()`` would add is done here: Oscar's check that the basket can be
    edited, and the basket's page version moved after the commit (``pagecache``'s signal
    receivers are not sent by a raw INSERT). A new basket's id was never used, so no page
    was kept under its version yet: only a basket that existed is bumped.
    """
    price = price() if callable(price) else price  # the strategy's, only once a claim is granted
    if not basket.can_be_edited:  # as Oscar's ``Line.save`` (the request's basket is open: a guard)
        raise PermissionDenied
    new_basket = basket.pk is None
    reservation = Reservation(token=token, item_id=card.id, shopper=shopper, quantity=quantity,
                              expires_at=expires_at, via_redis=via_redis)
    line = Line(basket=basket, line_reference=f"{LINE_PREFIX}{token}", product_id=card.product_id,
                stockrecord_id=card.listing_id, quantity=quantity, price_currency=price.currency,
                price_excl_tax=price.excl_tax, price_incl_tax=price.incl_tax)
    if connection.vendor != "postgresql":
        # SQLite (the embedded demo) has no data-modifying CTEs: the three saves in one
        # transaction, which send the page-cache signals themselves.
        with transaction.atomic():
            if new_basket:
                basket.save()
            reservation.basket_id = basket.pk
            reservation.save()
            line.basket = basket
            line.save()
        basket.reset_offer_applications()
        basket._lines = None
        return reservation
    params = []
    if new_basket:
        columns, values = _insert_values(basket)
        params += values
        first = f"basket AS (INSERT INTO {_table(basket)} ({columns}) VALUES ({_marks(values)}) RETURNING id)"
    else:
        params.append(basket.pk)
        first = "basket AS (SELECT %s::bigint AS id)"
    columns, values = _insert_values(reservation, skip="basket")
    params += values
    held = (f"held AS (INSERT INTO {_table(reservation)} ({columns}, basket_id) SELECT {_marks(values)}, basket.id "
            f"FROM basket RETURNING id)")
    columns, values = _insert_values(line, skip="basket")
    params += values
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {first}, {held} INSERT INTO {_table(line)} ({columns}, basket_id) SELECT {_marks(values)}, "
            f"basket.id FROM basket RETURNING basket_id, (SELECT id FROM held), id",
            params,
        )
        basket_id, reservation.pk, _line_id = cursor.fetchone()
    for row in (basket, reservation):
        row._state.adding, row._state.db = False, connection.alias
    basket.pk = reservation.basket_id = basket_id
    if not new_basket:
        bump_basket(basket_id)  # its header shows the line
    basket.reset_offer_applications()
    basket._lines = None
    return reservation


def _table(row) -> str:
    return connection.ops.quote_name(row._meta.db_table)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _insert_values(row, skip=None) -> tuple[str, list]:
    """A new row's columns and values as ``save()`` would insert them (not its auto id, nor ``skip``)."""
    columns, values = [], []
    for field in row._meta.local_concrete_fields:
        if field.primary_key or field.name == skip:
            continue
        columns.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(field.pre_save(row, add=True), connection=connection))
    return ", ".join(columns), values


def _sold_out(card: ItemCard) -> None:
    # The last unit is gone: every page of the channel says so (not on every claim).
    bump(channel_ids=[card.channel_id])


def reservation_release(*, reservation: Reservation, status: str = Reservation.RELEASED) -> bool:
    """Give a held reservation's units back now (the shopper removed the line). True if it was held."""
    with transaction.atomic():
        if not Reservation.objects.filter(pk=reservation.pk, status=Reservation.RESERVED).update(status=status):
            return False
        if not reservation.via_redis:
            _uncount(reservation.item_id, [(reservation.shopper, reservation.quantity)])
    if reservation.via_redis:
        try:
            redis_claims.run("release", reservation.item_id, str(reservation.token))
        except redis.RedisError:
            logger.warning("flash-sale reservation %s released; Redis gives it back at its expiry", reservation.pk)
    return True


def item_changed(*, item_id: int) -> None:
    """An item's or its sale's terms changed: the cached card and Redis's copy follow."""
    forget_card(item_id)
    cache.delete(_SOLD_OUT_KEY.format(id=item_id))
    if uses_redis():
        try:
            if redis_claims.client().exists(redis_claims.keys(item_id)[0]):
                publish(item_id=item_id)
        except redis.RedisError:
            logger.error("flash-sale item %s changed but Redis is down: claims stay stopped", item_id)

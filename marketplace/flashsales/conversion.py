"""
Placing an order turns its reservations into the order's allocation.

Called inside the order transaction (``order_placed`` is sent there, after the
order's other listings were allocated by ``order.stock``: PostgreSQL stays the
record of stock). A reservation's units are allocated on the listing already,
held for the sale (``holds``): the order takes them over from the hold. Each
reservation must still be held, by a conditional UPDATE on its own row (a
concurrent expiry of the same row is serialised by the row lock, and only one of
the two moves it); the sale must still be live and still hold the units (a stop
gives them back); the units of one item in the order stay within its per-order
limit, and the shopper's ordered units (the signed-in user, or a guest's e-mail)
within the per-shopper limit across baskets and devices. Any refusal raises
``CheckoutError`` and the whole order is rolled back.

On the Redis path Redis learns the reservation was ordered only once the order
has committed (``transaction.on_commit``): a rolled-back order leaves the
reservation held in both stores, the shopper can still order it. PostgreSQL is
the record: if Redis purged the reservation meanwhile (its expiry passed by
Redis's clock between the database's check and the commit), the script takes the
unit back into its count instead of letting it be claimed twice.
"""

import logging
from collections import Counter

import redis
from django.db import connection, transaction
from django.utils import timezone

from marketplace.localisation.catalogue import product_title
from marketplace.order.exceptions import CheckoutError

from . import holds, messages, redis_claims, rules
from .admission import LINE_PREFIX, shopper_for_contact, shopper_for_user
from .models import Reservation, Sale
from .terms import line_reservation

logger = logging.getLogger(__name__)

_ORDERED_ADD = """
INSERT INTO flashsales_shoppertally (item_id, shopper, taken) VALUES (%(item)s, %(shopper)s, %(quantity)s)
ON CONFLICT (item_id, shopper) DO UPDATE SET taken = flashsales_shoppertally.taken + EXCLUDED.taken
WHERE flashsales_shoppertally.taken + EXCLUDED.taken <= %(limit)s
RETURNING taken
"""


# The reservation still held, of a sale still live, ordered: one statement. The reservation's own
# columns are re-checked on its latest row version (a concurrent expiry of it is seen); the sale's
# are read as the statement starts (a stop gives the units back under the listing's lock, which
# the order holds, and ``hold_to_order`` then finds none).
_ORDERED = """
UPDATE flashsales_reservation SET status = %(ordered)s, order_id = %(order)s
WHERE id = %(id)s AND status = %(reserved)s AND expires_at > %(moment)s AND EXISTS (
    SELECT 1 FROM flashsales_saleitem i JOIN flashsales_sale s ON s.id = i.sale_id
    WHERE i.id = flashsales_reservation.item_id AND s.status = %(approved)s
    AND s.starts_at <= %(moment)s AND s.ends_at > %(moment)s
)
"""

# The three as one statement (PostgreSQL: data-modifying CTEs). Each step reads the one before's
# RETURNING, so it runs only on what that step changed; the counts say which step stopped.
_TAKE = """
WITH ordered AS (
    UPDATE flashsales_reservation SET status = %(ordered)s, order_id = %(order)s
    WHERE id = %(id)s AND status = %(reserved)s AND expires_at > %(moment)s AND EXISTS (
        SELECT 1 FROM flashsales_saleitem i JOIN flashsales_sale s ON s.id = i.sale_id
        WHERE i.id = flashsales_reservation.item_id AND s.status = %(approved)s
        AND s.starts_at <= %(moment)s AND s.ends_at > %(moment)s
    )
    RETURNING item_id
), held AS (
    UPDATE flashsales_saleitem SET units_held = units_held - %(quantity)s
    WHERE id IN (SELECT item_id FROM ordered) AND units_held >= %(quantity)s
    RETURNING id
), tallied AS (
    INSERT INTO flashsales_shoppertally (item_id, shopper, taken)
    SELECT id, %(shopper)s, %(quantity)s FROM held
    ON CONFLICT (item_id, shopper) DO UPDATE SET taken = flashsales_shoppertally.taken + EXCLUDED.taken
    WHERE flashsales_shoppertally.taken + EXCLUDED.taken <= %(limit)s
    RETURNING taken
)
SELECT (SELECT count(*) FROM ordered), (SELECT count(*) FROM held), (SELECT count(*) FROM tallied)
"""


def flash_lines(lines) -> list:
    return [line for line in lines if (line.line_reference or "").startswith(LINE_PREFIX)]


def reservations_order(*, order, lines) -> None:
    lines = sorted(flash_lines(lines), key=lambda line: line.line_reference)
    accepted = [line_reservation(line) for line in lines]
    if accepted and all(_accepted_for(reservation, order) for reservation in accepted):
        # Taken when the order was accepted (``accepting``): every check and count was made
        # then, in that transaction; the order is now written, and its reservations point at it.
        Reservation.objects.filter(pk__in=[r.pk for r in accepted], order__isnull=True).update(order=order)
        return
    identity = shopper_for_user(order.user_id) if order.user_id else shopper_for_contact(order.guest_email or "")
    reservations_take(lines=lines, identity=identity, order=order)


def _accepted_for(reservation, order) -> bool:
    return (reservation is not None and reservation.status == Reservation.ORDERED
            and reservation.order_id is None and reservation.basket_id == order.basket_id)


def reservations_take(*, lines, identity: str, order=None) -> None:
    """Inside a transaction: the lines' reservations become ordered (by ``order``, or by an order
    accepted and written later), within the limits, or ``CheckoutError`` for the first refusal."""
    moment = timezone.now()
    lines = sorted(flash_lines(lines), key=lambda line: line.line_reference)
    _check_order_limits(lines)
    for line in lines:
        title = product_title(line.product)
        reservation = line_reservation(line)
        if reservation is None:
            raise CheckoutError(messages.EXPIRED % {"title": title})
        item = reservation.item
        if line.quantity > reservation.quantity:
            raise CheckoutError(messages.refusal(rules.SHOPPER_LIMIT, per_shopper=item.per_shopper_limit))
        ordered, held, tallied = _take(reservation=reservation, item=item, quantity=line.quantity,
                                       shopper=f"o:{identity}", order=order, moment=moment)
        if not ordered:
            if not Sale.objects.filter(
                pk=item.sale_id, status=Sale.APPROVED, starts_at__lte=moment, ends_at__gt=moment
            ).exists():
                raise CheckoutError(messages.ENDED_BEFORE_ORDER % {"title": title})
            raise CheckoutError(messages.EXPIRED % {"title": title})
        # The line's units, not the reservation's: a shopper who lowered the line orders fewer, and
        # the units not ordered stay in the sale's hold, given back to the listing at its end
        # (the order allocates only what it consumes or releases later).
        if not held:
            raise CheckoutError(messages.ENDED_BEFORE_ORDER % {"title": title})  # stopped: units given back
        if not tallied:
            raise CheckoutError(messages.refusal(rules.SHOPPER_LIMIT, per_shopper=item.per_shopper_limit))
        if reservation.via_redis:
            transaction.on_commit(_redis_ordered(reservation))


def _take(*, reservation, item, quantity: int, shopper: str, order, moment) -> tuple[bool, bool, bool]:
    """The reservation ordered, its units taken from the sale's hold, the shopper's tally raised:
    whether each was done (each step only if the one before was; a refusal rolls all back).

    On PostgreSQL one statement (``_TAKE``): the hot item's row is locked by it for one round
    trip less each, and every order of a flash item makes two fewer; elsewhere three."""
    values = {
        "ordered": Reservation.ORDERED, "reserved": Reservation.RESERVED, "approved": Sale.APPROVED,
        "order": order.pk if order is not None else None, "id": reservation.pk, "moment": moment,
        "item": item.pk, "quantity": quantity, "shopper": shopper, "limit": item.per_shopper_limit,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_TAKE, values)
            return tuple(count > 0 for count in cursor.fetchone())
        cursor.execute(_ORDERED, values)
        if not cursor.rowcount:
            return False, False, False
        if not holds.hold_to_order(item_id=item.pk, quantity=quantity):
            return True, False, False
        cursor.execute(_ORDERED_ADD, values)
        return True, True, cursor.fetchone() is not None


def _check_order_limits(lines) -> None:
    """All the order's lines of one item (several claims in one basket) within its per-order limit."""
    ordered: Counter[int] = Counter()
    items = {}
    for line in lines:
        reservation = line_reservation(line)
        if reservation is not None:
            ordered[reservation.item_id] += line.quantity
            items[reservation.item_id] = reservation.item
    for item_id, quantity in ordered.items():
        per_order = items[item_id].per_order_limit
        if rules.order_limit_refusal(ordered=quantity, per_order=per_order):
            raise CheckoutError(messages.refusal(rules.ORDER_LIMIT, per_order=per_order))


def _redis_ordered(reservation):
    item_id, token, quantity, shopper = (reservation.item_id, str(reservation.token), reservation.quantity,
                                         reservation.shopper)

    def run():
        try:
            redis_claims.run("order", item_id, token, quantity, shopper)
        except redis.RedisError:
            # The order stands (PostgreSQL is the record). Redis may count this unit as
            # free once the reservation's expiry passes; a claim granted on it then fails
            # at its order (the sale's hold has no unit for it): never oversold.
            logger.error("flash-sale item %s: order of reservation %s not written to Redis", item_id, token)

    return run

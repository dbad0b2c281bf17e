"""
Placing an order turns its reservations into the order's allocation.

Called inside the order transaction (``order_placed`` is sent there, after the
listings' stock was allocated by ``order.stock``: PostgreSQL stays the record of
stock). Each reservation must still be held, by a conditional UPDATE on its own
row (a concurrent expiry of the same row is serialised by the row lock, and only
one of the two moves it); the sale must still be live; the shopper's ordered
units (the signed-in user, or a guest's e-mail) stay within the per-shopper
limit across baskets and devices; on the Redis path, Redis must agree the
reservation is held and count it ordered. Any refusal raises ``CheckoutError``
and the whole order is rolled back.
"""

import redis
from django.db import connection
from django.utils import timezone

from marketplace.localisation.catalogue import product_title
from marketplace.order.exceptions import CheckoutError

from . import messages, redis_claims, rules
from .admission import LINE_PREFIX, shopper_for_contact, shopper_for_user
from .models import Reservation, Sale
from .terms import line_reservation

_ORDERED_ADD = """
INSERT INTO flashsales_shoppertally (item_id, shopper, taken) VALUES (%s, %s, %s)
ON CONFLICT (item_id, shopper) DO UPDATE SET taken = flashsales_shoppertally.taken + EXCLUDED.taken
WHERE flashsales_shoppertally.taken + EXCLUDED.taken <= %s
RETURNING taken
"""


def flash_lines(lines) -> list:
    return [line for line in lines if (line.line_reference or "").startswith(LINE_PREFIX)]


def reservations_order(*, order, lines) -> None:
    moment = timezone.now()
    identity = shopper_for_user(order.user_id) if order.user_id else shopper_for_contact(order.guest_email or "")
    for line in sorted(flash_lines(lines), key=lambda line: line.line_reference):
        title = product_title(line.product)
        reservation = line_reservation(line)
        if reservation is None:
            raise CheckoutError(messages.EXPIRED % {"title": title})
        item = reservation.item
        if not Sale.objects.filter(
            pk=item.sale_id, status=Sale.APPROVED, starts_at__lte=moment, ends_at__gt=moment
        ).exists():
            raise CheckoutError(messages.ENDED_BEFORE_ORDER % {"title": title})
        if line.quantity > reservation.quantity:
            raise CheckoutError(messages.refusal(rules.SHOPPER_LIMIT, per_shopper=item.per_shopper_limit))
        # Only local columns in the condition: re-checked on the latest row version.
        if not Reservation.objects.filter(
            pk=reservation.pk, status=Reservation.RESERVED, expires_at__gt=moment
        ).update(status=Reservation.ORDERED, order=order):
            raise CheckoutError(messages.EXPIRED % {"title": title})
        with connection.cursor() as cursor:
            cursor.execute(_ORDERED_ADD, [item.pk, f"o:{identity}", reservation.quantity, item.per_shopper_limit])
            if cursor.fetchone() is None:
                raise CheckoutError(messages.refusal(rules.SHOPPER_LIMIT, per_shopper=item.per_shopper_limit))
        if reservation.via_redis:
            try:
                held = redis_claims.run("order", item.pk, str(reservation.token))
            except redis.RedisError as error:
                raise CheckoutError(messages.CLAIMS_STOPPED) from error
            if not held:
                raise CheckoutError(messages.EXPIRED % {"title": title})

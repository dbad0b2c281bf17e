"""
A flash-sale order taken at the peak in one short transaction, written out by a worker.

At a sale's start, a hot item's winners all check out within a minute or two. Oscar's
order creation is some twenty statements and most of an order's CPU (lines, prices,
addresses, taxes, payment, events); the units, though, are the order's as soon as its
reservations are turned into ordered units, which is a few statements. So the short
checkout's POST, for a basket holding only flash-sale lines (their units allocated on
the listing already, see ``holds``), *accepts* the order:

1. the same checks ``order_place`` makes before its transaction (``order_check``: every
   line's terms and price, the total the page showed, the payment option);
2. one transaction: the basket frozen while open, its row locked (nothing can change it;
   a second submission of it waits, then finds its accepted order), the held listings
   locked FOR SHARE as an order does (``stock.allocate``), the reservations ordered
   within their limits (``conversion.reservations_take``: the sale live, the hold, the
   per-shopper tally, exactly as at an order's placement), and an ``AcceptedOrder`` row
   with the order's number, address, delivery, payment option, total and the shopper's
   language.

The shopper is given the number at once: the units are theirs and nothing of what the
order is made from can change (the basket is frozen; an approved sale's terms are locked,
``admin.SaleAdmin``). A Celery task (``tasks.write_accepted_orders``) then writes Oscar's
orders with those numbers from the frozen baskets through ``order_place``, which takes the
ordered reservations over (``conversion.reservations_order``) and queues the confirmation
e-mail and the payment as for any order. One task writes every order waiting, so a burst
of acceptances queues one task, not one each (``writer_wake``: a key in the shared cache
says a writer is on its way). Writing one order twice is harmless (the checkout key finds
the order written). A beat task tries again any accepted order still unwritten after a
minute (``tasks.retry_accepted_orders``), so a lost task or a worker's crash delays an
order, never loses it.

Anything else (an ordinary line beside the claim, a warranty plan) goes through
``order_place`` in the request, as before.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from oscar.apps.order.models import ShippingAddress

from marketplace.basket.models import Basket
from marketplace.compiledquery import insert
from marketplace.order import stock
from marketplace.order.exceptions import CheckoutError
from marketplace.order.numbers import LENGTH, order_number
from marketplace.order.services import order_check, order_place
from marketplace.payments.selectors import payment_option_in
from marketplace.shipping.repository import Repository

from .admission import shopper_for_contact, shopper_for_user
from .conversion import flash_lines, reservations_take
from .models import AcceptedOrder

logger = logging.getLogger(__name__)

# An accepted order not written after this long is tried again (beat, ``tasks.retry_accepted_orders``).
RETRY_AFTER = timedelta(minutes=1)
# ShippingAddress's fields an accepted order keeps (its own id, code and search text are the order's).
_ADDRESS_FIELDS = ("title", "first_name", "last_name", "line1", "line2", "line3", "line4", "state", "postcode",
                   "country_id", "phone_number", "notes")


ACCEPTED_NUMBER_LENGTH = LENGTH + 1


@dataclass(frozen=True)
class Accepted:
    accepted: AcceptedOrder
    created: bool


def accepts(basket) -> bool:
    """Whether ``basket``'s order can be accepted now and written later: only held flash-sale lines."""
    lines = list(basket.all_lines())
    return bool(lines) and len(flash_lines(lines)) == len(lines) and all(
        line.parent_line_id is None for line in lines)


def order_accept(*, channel, basket, user, guest_email: str = "", shipping_address, shipping_method,
                 payment_option, checkout_key: str, expected_total: Decimal, language: str,
                 request=None) -> Accepted:
    """Accept ``basket``'s order once per ``checkout_key`` (the same key again returns it)."""
    _charge, total = order_check(
        channel=channel, basket=basket, user=user, shipping_method=shipping_method,
        payment_option=payment_option, expected_total=expected_total, shipping_address=shipping_address,
        request=request,
    )
    lines = list(basket.all_lines())
    identity = shopper_for_user(user.pk) if user.is_authenticated else shopper_for_contact(guest_email)
    address = {name: getattr(shipping_address, name) for name in _ADDRESS_FIELDS}
    address["phone_number"] = str(address["phone_number"] or "")
    fields = {
        "channel": channel, "basket": basket, "user": user if user.is_authenticated else None,
        "guest_email": guest_email if not user.is_authenticated else "", "checkout_key": checkout_key,
        "address": address, "method_code": shipping_method.code, "option_code": str(payment_option.pk),
        "total": total.incl_tax, "language": language,
    }
    while True:
        # A character longer than a placed order's: never drawn for one placed meanwhile.
        number = order_number(channel, length=ACCEPTED_NUMBER_LENGTH)
        try:
            with transaction.atomic():
                # The basket frozen while open, its row locked: a second submission of it waits
                # here, then finds it frozen, and this order accepted.
                if not _freeze(basket.pk):
                    found = AcceptedOrder.objects.filter(checkout_key=checkout_key, basket_id=basket.pk).first()
                    if found is not None:
                        return Accepted(found, created=False)  # the same submission, sent twice
                    raise CheckoutError(_already_ordered())
                # The held listings, as the order's allocation locks them: a sale's hold being
                # given back (or an exclusive rule being created) waits for this, as this for it.
                stock.allocate((), held=sorted({line.stockrecord_id for line in lines}))
                reservations_take(lines=lines, identity=identity)
                accepted = AcceptedOrder(number=number, **fields)
                insert(accepted)  # (its INSERT made once per process: it is on every acceptance)
                transaction.on_commit(writer_wake)
        except IntegrityError:
            # A number taken already (1 in some 6.6e11): all of it again with another; the
            # transaction rolled back. Anything else is not ours to retry.
            if not AcceptedOrder.objects.filter(number=number).exists():
                raise
            continue
        basket.status = Basket.FROZEN
        return Accepted(accepted, created=True)


def _freeze(basket_id: int) -> bool:
    """The basket frozen if open (its row locked until the transaction ends); False if it was not."""
    with connection.cursor() as cursor:  # written out: the ORM built this UPDATE anew per order
        cursor.execute(f"UPDATE {Basket._meta.db_table} SET status = %s WHERE id = %s AND status = %s",
                       [Basket.FROZEN, basket_id, Basket.OPEN])
        return cursor.rowcount > 0


def _already_ordered():
    from django.utils.translation import gettext

    return gettext("This basket has already been ordered, in another window or on another device.")


# Set while a writer is queued or writing (the shared cache): a burst of acceptances queues one
# task, not one each. Its age bounds a writer that died holding it (beat re-queues meanwhile).
WRITER_KEY = "flashsales:accepted-writer"
WRITER_SECONDS = 30
# Orders one writer task writes before it queues itself again (some 60 ms each).
WRITER_BATCH = 5


def writer_wake() -> None:
    """After an acceptance commits: queue the writer unless one is queued or writing already.

    A writer clears the key before its last look for waiting orders (``accepted_orders_write``),
    so an order committed while the key was set is always seen by that writer.
    """
    try:
        if cache.add(WRITER_KEY, 1, WRITER_SECONDS):
            _queue_writer()
    except Exception:
        # The order is accepted (committed) whatever happens here: the shopper gets their number,
        # not an error. With the cache or the broker down, beat writes it within the minute.
        logger.exception("accepted flash-sale orders: no writer queued (beat will write them)")
        try:
            cache.delete(WRITER_KEY)  # the next acceptance tries again
        except Exception:
            logger.exception("accepted flash-sale orders: the writer's key not cleared")


def accepted_orders_write(*, batch: int = WRITER_BATCH) -> int:
    """Write up to ``batch`` accepted orders waiting (a worker), oldest first; the number written.

    A few at a time, then queued again while more wait: the worker takes the tasks a shopper
    waits for (a guest's code, priority 0) between two batches, not after the whole backlog.
    """
    try:
        waiting = _waiting(limit=batch)
        written = sum(accepted_order_place(accepted_id=accepted_id) is not None for accepted_id in waiting)
    except BaseException:
        cache.delete(WRITER_KEY)  # the next acceptance queues a writer again (beat meanwhile)
        raise
    if len(waiting) == batch:
        cache.set(WRITER_KEY, 1, WRITER_SECONDS)  # more may wait: this writer goes on, the key kept
        _queue_writer()
        return written
    cache.delete(WRITER_KEY)
    if _waiting(limit=1):  # committed while the key was still set: woken again
        writer_wake()
    return written


def _queue_writer() -> None:
    from .tasks import accepted_orders_queue

    accepted_orders_queue()


def _waiting(*, limit: int) -> list[int]:
    # Those with a problem wait for beat (retried each minute), not for this loop.
    return list(AcceptedOrder.objects.filter(order__isnull=True, problem="").order_by("pk")
                .values_list("pk", flat=True)[:limit])


def accepted_order_place(*, accepted_id: int):
    """Write Oscar's order of an accepted order (a worker). The order; safe to run twice."""
    accepted = (AcceptedOrder.objects.select_related("channel", "basket", "user", "order")
                .filter(pk=accepted_id).first())
    if accepted is None or accepted.order is not None:
        return accepted.order if accepted is not None else None
    channel, basket = accepted.channel, accepted.basket
    user = accepted.user or AnonymousUser()
    address = ShippingAddress(**accepted.address)
    methods = Repository().get_shipping_methods(basket, shipping_addr=address, user=user)
    method = next((method for method in methods if method.code == accepted.method_code), None)
    option = payment_option_in(channel, accepted.option_code)
    try:
        if method is None or option is None:
            raise CheckoutError(f"delivery {accepted.method_code!r} or payment option {accepted.option_code!r} "
                                "is no longer offered")
        placed = order_place(
            channel=channel, basket=basket, user=user, guest_email=accepted.guest_email,
            shipping_address=address, shipping_method=method, payment_option=option,
            checkout_key=accepted.checkout_key, expected_total=accepted.total,
            number=accepted.number, language=accepted.language,
        )
    except CheckoutError as exc:
        # Not written: the units stay the order's; kept for the operators and retried by beat.
        AcceptedOrder.objects.filter(pk=accepted.pk).update(problem=str(exc.message))
        logger.error("accepted order %s not written: %s", accepted.number, exc.message)
        return None
    AcceptedOrder.objects.filter(pk=accepted.pk, order__isnull=True).update(order=placed.order, problem="")
    return placed.order


def accepted_orders_waiting(*, older_than: timedelta = RETRY_AFTER) -> list[int]:
    """The accepted orders still unwritten after ``older_than`` (for beat to queue again)."""
    return list(AcceptedOrder.objects.filter(order__isnull=True, accepted_at__lt=timezone.now() - older_than)
                .order_by("pk").values_list("pk", flat=True)[:500])


def accepted_for(*, number: str, user, numbers: list | None) -> AcceptedOrder | None:
    """The accepted order ``number`` if it is this shopper's: their account's when signed in, else
    one this session accepted (its numbers kept in the session)."""
    found = AcceptedOrder.objects.select_related("order", "channel").filter(number=number)
    if user.is_authenticated:
        return found.filter(user=user).first()
    if number not in (numbers or []):
        return None
    return found.filter(user__isnull=True).first()


def accepted_lines(accepted: AcceptedOrder) -> list:
    """The accepted order's lines (its frozen basket's), for its confirmation page."""
    return list(accepted.basket.all_lines())


def accepted_option(accepted: AcceptedOrder):
    """The payment option the order was accepted with (None if the channel has dropped it)."""
    return payment_option_in(accepted.channel, accepted.option_code)

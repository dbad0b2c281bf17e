"""
Returns: the shopper asks, customer service or the seller decides, the item comes back
and is refunded. Services write; each is one transaction.

Receiving an approved return puts its units back into the listing's stock, voids
the devices registered on them (their IMEIs free for the next owner) and refunds them through the payment provider interface (``payments.refunds``),
the warranty bought with them included; the refund's key is the return's, so
a return received twice refunds once.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import quantum
from marketplace.order import stock
from marketplace.order.numbers import ALPHABET
from marketplace.payments.exceptions import RefundRefused
from marketplace.payments.refunds import refund_request

from . import return_rules
from .models import HelpDesk, ReturnRequest
from .return_rules import ReturnRefused


def _reference(channel) -> str:
    return f"{channel.code.upper()}-T{''.join(secrets.choice(ALPHABET) for _ in range(6))}"


def return_window_days(channel) -> int:
    desk = HelpDesk.objects.filter(channel=channel).only("return_days").first()
    return desk.return_days if desk is not None else HelpDesk._meta.get_field("return_days").default


def returnable_lines(order):
    """The order's product lines with the units that can still be asked back (``returnable``)."""
    taken = dict(
        ReturnRequest.objects.filter(order=order).exclude(status=return_rules.REFUSED)
        .values_list("line_id").annotate(units=Sum("quantity"))
    )
    lines = [line for line in order.lines.all() if line.parent_line_id is None]
    for line in lines:
        line.returnable = line.quantity - taken.get(line.pk, 0)
    return lines


def return_create(*, order, line_id: int, quantity: int, reason: str, today, language: str,
                  format_day=None) -> ReturnRequest:
    """The shopper's return of ``quantity`` units of a line of ``order`` (already theirs: the view checks)."""
    from marketplace.aftersales.devices import delivered_on

    with transaction.atomic():
        # The order locked: two returns asked at once for one line are counted one after the other.
        type(order).objects.select_for_update().filter(pk=order.pk).first()
        line = order.lines.filter(pk=line_id).first()
        if line is None:
            raise ReturnRefused(_("Choose an item of this order."))
        already = (ReturnRequest.objects.filter(line=line).exclude(status=return_rules.REFUSED)
                   .aggregate(units=Sum("quantity"))["units"] or 0)
        problem = return_rules.request_problem(
            delivered_on=delivered_on(order), today=today, window_days=return_window_days(order.channel),
            quantity=quantity, line_quantity=line.quantity, already_returned=already,
            is_product_line=line.parent_line_id is None, **({"format_day": format_day} if format_day else {}),
        )
        if problem is not None:
            raise ReturnRefused(problem)
        if ReturnRequest.objects.filter(
            line=line, status__in=[return_rules.REQUESTED, return_rules.APPROVED]
        ).exists():
            raise ReturnRefused(_("A return of this item is already under way."))
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return ReturnRequest.objects.create(
                        reference=_reference(order.channel), order=order, line=line, quantity=quantity,
                        reason=reason, language=language,
                    )
            except IntegrityError:
                if ReturnRequest.objects.filter(line=line).exclude(status=return_rules.REFUSED).exists():
                    raise ReturnRefused(_("A return of this item is already under way.")) from None
    raise ReturnRefused(_("Please try again in a moment."))


def return_decide(*, return_id: int, approve: bool, refusal_reason: str = "") -> ReturnRequest:
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().get(pk=return_id)
        new = return_rules.APPROVED if approve else return_rules.REFUSED
        if request.status == new:
            return request
        return_rules.move(request.status, new, refusal_reason=refusal_reason)
        request.status, request.refusal_reason = new, refusal_reason if not approve else ""
        request.save(update_fields=["status", "refusal_reason", "date_updated"])
        _tell_decision(request)
    return request


def _tell_decision(request: ReturnRequest) -> None:
    """After commit, e-mail the shopper the decision (once: ``notified``)."""
    from .tasks import send_return_decision

    return_id = request.pk
    transaction.on_commit(lambda: send_return_decision.delay(return_id))


def refund_due(request: ReturnRequest):
    """The product's units and the warranty bought with them, at the prices paid."""
    line = request.line
    prices = [line.unit_price_incl_tax, *(dependent.unit_price_incl_tax for dependent in line.dependent_lines.all())]
    return return_rules.refund_amount(unit_prices_incl_tax=prices, quantity=request.quantity,
                                      quantum=quantum(request.order.currency))


def return_receive(*, return_id: int) -> ReturnRequest:
    """The item is back: into the listing's stock, and refunded (once, however often received)."""
    with transaction.atomic():
        request = (ReturnRequest.objects.select_for_update(of=("self",))
                   .select_related("order__channel", "line").get(pk=return_id))
        if request.status == return_rules.RECEIVED:
            return request
        return_rules.move(request.status, return_rules.RECEIVED)
        if request.line.stockrecord_id is not None:
            stock.restock([(request.line.stockrecord_id, request.quantity)])
        _void_returned_devices(request)
        try:
            refund = refund_request(
                order=request.order, amount=refund_due(request), key=f"return-{request.pk}",
                reason=f"Return {request.reference}",
            )
        except RefundRefused as exc:
            raise ReturnRefused(exc.message) from None
        request.status, request.refund = return_rules.RECEIVED, refund
        request.save(update_fields=["status", "refund", "date_updated"])
    return request


def _void_returned_devices(request: ReturnRequest) -> None:
    """The devices registered on the returned units are no longer the shopper's: voided."""
    from marketplace.aftersales.devices import devices_void_returned

    returned = (ReturnRequest.objects.filter(line=request.line, status=return_rules.RECEIVED)
                .exclude(pk=request.pk).aggregate(units=Sum("quantity"))["units"] or 0) + request.quantity
    devices_void_returned(line=request.line, units_kept=request.line.quantity - returned)


def return_refund_retry(*, return_id: int) -> bool:
    """A received return whose refund the provider refused: ask again, as a new refund.

    A refund given up on (the provider never answered, so it may have taken it) is asked for
    again as itself, under its own reference, so the provider cannot pay it twice.

    Each attempt has its own key (``return-<id>-<n>``), so asking twice at once still makes
    one; a refund pending or done is left alone. True when a new attempt was made.
    """
    from django.db.models import Q

    from marketplace.payments.models import Refund
    from marketplace.payments.refunds import refund_reopen

    with transaction.atomic():
        request = (ReturnRequest.objects.select_for_update(of=("self",))
                   .select_related("order", "line", "refund").get(pk=return_id))
        if (request.status != return_rules.RECEIVED or request.refund is None
                or request.refund.status != Refund.Status.FAILED):
            return False
        if refund_reopen(Refund.objects.select_for_update().get(pk=request.refund_id)):
            return True  # given up on, maybe taken: the same refund again, never a second one
        attempts = Refund.objects.filter(
            Q(key=f"return-{request.pk}") | Q(key__startswith=f"return-{request.pk}-")
        ).count()
        try:
            refund = refund_request(
                order=request.order, amount=refund_due(request), key=f"return-{request.pk}-{attempts + 1}",
                reason=f"Return {request.reference}",
            )
        except RefundRefused as exc:
            raise ReturnRefused(exc.message) from None
        request.refund = refund
        request.save(update_fields=["refund", "date_updated"])
    return True

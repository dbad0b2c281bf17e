"""
Repair bookings: the shopper books, the centre moves the repair along. Services write.

A shopper books a registered device of theirs at an active centre of the
channel it was bought in, for a day from today on. Whether the device is in
cover that day decides who pays (``repair_rules.payer``). The centre's staff
(members of the centre) accept or refuse and move the status by the rules;
out of cover they enter a quote the shopper accepts. The shopper is told of
every step by e-mail, from a Celery task queued after commit (once per step).
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import has_valid_precision
from marketplace.memberships import roles
from marketplace.memberships.selectors import scope_for
from marketplace.order.numbers import ALPHABET

from . import repair_rules, rules
from .models import Device, RepairBooking, ServiceCentre, quote_precision_message

BOOKING_HORIZON = timedelta(days=60)


class RepairError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _reference(channel) -> str:
    return f"{channel.code.upper()}-R{''.join(secrets.choice(ALPHABET) for _ in range(6))}"


def _notify(booking: RepairBooking) -> None:
    from .tasks import send_booking_update

    booking_id, status = booking.pk, booking.status
    transaction.on_commit(lambda: send_booking_update.delay(booking_id, status))


def booking_create(*, user, device_id: int, centre_id: int, fault: str, preferred_day: date, today: date,
                   language: str) -> RepairBooking:
    device = (
        Device.objects.select_related("warranty__line__order__channel")
        .filter(pk=device_id, warranty__line__order__user=user, voided_at__isnull=True).first()
        if user.is_authenticated else None
    )
    if device is None:
        raise RepairError(_("This device is not one of yours."))
    channel = device.warranty.line.order.channel
    centre = ServiceCentre.objects.filter(pk=centre_id, channel=channel, is_active=True).first()
    if centre is None:
        raise RepairError(_("Choose one of this country's service centres."))
    if not today <= preferred_day <= today + BOOKING_HORIZON:
        raise RepairError(_("Choose a day between today and two months from now."))
    in_cover = rules.is_covered(ends_on=device.ends_on, today=today)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                booking = RepairBooking.objects.create(
                    reference=_reference(channel), device=device, centre=centre, fault=fault,
                    preferred_day=preferred_day, in_cover=in_cover, payer=repair_rules.payer(in_cover=in_cover),
                    language=language,
                )
                _notify(booking)
                return booking
        except IntegrityError:
            continue
    raise RepairError(_("Please try again in a moment."))


def works_at(user, centre_id: int) -> bool:
    return centre_id in scope_for(user).ids(roles.SERVICE_CENTRE)


def booking_move(*, booking_id: int, status: str) -> RepairBooking:
    """Move the repair to ``status`` by the rules (``repair_rules.MoveRefused`` otherwise)."""
    with transaction.atomic():
        booking = RepairBooking.objects.select_for_update().get(pk=booking_id)
        if booking.status == status:
            return booking
        repair_rules.move(booking.status, status, in_cover=booking.in_cover, quote_accepted=booking.quote_accepted)
        booking.status = status
        booking.save(update_fields=["status", "date_updated"])
        _notify(booking)
    return booking


def quote_set(*, booking_id: int, amount) -> RepairBooking:
    with transaction.atomic():
        booking = RepairBooking.objects.select_for_update().get(pk=booking_id)
        if not repair_rules.may_quote(status=booking.status, in_cover=booking.in_cover):
            raise repair_rules.MoveRefused(_("A quote is given out of cover, once the device is received."))
        if not has_valid_precision(amount, booking.currency):
            raise repair_rules.MoveRefused(quote_precision_message(booking.currency))
        booking.quote, booking.quote_accepted = amount, False
        booking.quote_version += 1
        booking.save(update_fields=["quote", "quote_accepted", "quote_version", "date_updated"])
        _notify(booking)  # a new quote is a new notice (the notice key holds the quote)
    return booking


class QuoteChanged(RepairError):
    """The quote the shopper saw is not the centre's quote any more (a 409)."""


def quote_accept(*, booking_id: int, user, amount: Decimal, version: int) -> RepairBooking:
    """Accept the quote the shopper's page showed: ``amount`` and ``version`` are what it said."""
    with transaction.atomic():
        booking = (
            RepairBooking.objects.select_for_update(of=("self",))
            .filter(pk=booking_id, device__warranty__line__order__user=user).first()
        )
        if booking is None:
            raise RepairError(_("This repair is not one of yours."))
        if booking.quote is None or booking.quote_accepted:
            raise RepairError(_("There is no quote to accept."))
        if booking.quote_version != version or booking.quote != amount:
            raise QuoteChanged(_("The centre has changed its quote since you saw it. "
                                 "Please check the new amount and accept again."))
        booking.quote_accepted = True
        booking.save(update_fields=["quote_accepted", "date_updated"])
    return booking

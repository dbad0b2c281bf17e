"""Telling the shopper about each step of their repair, in their language, once per step."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront

from .models import RepairBooking


def booking_update_send(*, booking_id: int, status: str) -> bool:
    with transaction.atomic():
        booking = (
            RepairBooking.objects.select_for_update(of=("self",))
            .select_related("centre", "device__warranty__line__order__channel", "device__warranty__line__order__user")
            .filter(pk=booking_id).first()
        )
        key = f"{status}:{booking.quote}" if booking is not None else ""
        if booking is None or booking.status != status or booking.notified == key:
            return False  # told already, or moved on since (the later step's task tells)
        order = booking.device.warranty.line.order
        with storefront(order.channel, booking.language):
            subject = _("Your repair %(reference)s: %(status)s") % {
                "reference": booking.reference, "status": booking.get_status_display()}
            body = render_to_string("aftersales/emails/booking_update.txt", {"booking": booking, "order": order})
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])
        booking.notified = key
        booking.save(update_fields=["notified"])
    return True

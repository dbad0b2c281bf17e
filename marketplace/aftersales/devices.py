"""
Registering covered devices, and looking up their cover. Services write; selectors read.

After delivery, each unit of a warranty bought is registered by IMEI (15
digits, Luhn check digit) or serial number: by the shopper who ordered it, or
by the seller of the product line (a retailer or official store doing it at
the counter). The warranty's row is locked while a unit number is taken, and
the database refuses a second unit beyond the quantity bought's race
(``device_one_per_warranty_unit``) and an IMEI registered twice
(``device_imei_registered_once``).
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from marketplace.memberships import roles
from marketplace.memberships.selectors import scope_for
from marketplace.order import statuses

from . import rules
from .models import Device, OrderWarranty

IMEI_ERRORS = {
    "digits": _("An IMEI is made of digits only."),
    "length": _("An IMEI has 15 digits."),
    "check": _("This IMEI's last digit does not match: check it on the box or dial *#06#."),
    "serial": _("A serial number has 4 to 40 letters, digits or dashes."),
}


class RegistrationError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def delivered_on(order) -> date | None:
    """The day (in the channel's time zone) the order was marked delivered, or None."""
    if order.status != statuses.DELIVERED:
        return None
    change = order.status_changes.filter(new_status=statuses.DELIVERED).order_by("-date_created").first()
    moment = change.date_created if change is not None else order.date_placed
    return moment.astimezone(order.channel.tzinfo).date()


def may_register(user, warranty: OrderWarranty, proven_order_id: int | None = None) -> bool:
    """The shopper who ordered, a guest who proved the order is theirs, or the line's seller."""
    if proven_order_id is not None and warranty.line.order_id == proven_order_id:
        return True  # a guest: the order's number with its e-mail or phone (``guest_order_proven``)
    if not user.is_authenticated:
        return False
    order = warranty.line.order
    if order.user_id == user.pk:
        return True
    return warranty.product_line.partner_id in scope_for(user).ids(roles.SELLER)


def identifier(*, imei: str = "", serial: str = "") -> dict:
    """``{"imei": …}`` or ``{"serial": …}`` from what was typed; a RegistrationError otherwise."""
    try:
        if imei:
            return {"imei": rules.normalise_imei(imei)}
        if serial:
            return {"serial": rules.normalise_serial(serial)}
    except rules.InvalidIdentifier as exc:
        raise RegistrationError(IMEI_ERRORS[exc.reason]) from None
    raise RegistrationError(_("Enter the device's IMEI or its serial number."))


def registration_problem(*, warranty: OrderWarranty | None, user, ident: dict, proven_order_id: int | None = None):
    """Why ``user`` may not register a device with ``ident`` on ``warranty`` now; None if they may."""
    if warranty is None or not may_register(user, warranty, proven_order_id):
        return _("This warranty is not one of yours.")
    if delivered_on(warranty.line.order) is None:
        return _("Devices are registered once the order has been delivered.")
    if warranty.devices.count() >= warranty.line.quantity:
        return _("Every device this warranty covers is registered already.")
    if "imei" in ident and Device.objects.filter(imei=ident["imei"], voided_at__isnull=True).exists():
        return _("This IMEI is already registered.")
    if "serial" in ident and warranty.devices.filter(serial=ident["serial"]).exists():
        return _("This device is already registered.")
    return None


def device_register(*, warranty_id: int, user, imei: str = "", serial: str = "",
                    proven_order_id: int | None = None) -> Device:
    """Register one more unit of the warranty; a RegistrationError says why not."""
    ident = identifier(imei=imei, serial=serial)
    try:
        with transaction.atomic():
            warranty = (
                OrderWarranty.objects.select_for_update(of=("self",))
                .select_related("line__order__channel", "product_line").filter(pk=warranty_id).first()
            )
            problem = registration_problem(warranty=warranty, user=user, ident=ident,
                                           proven_order_id=proven_order_id)
            if problem is not None:
                raise RegistrationError(problem)
            starts, ends = rules.cover_period(
                delivered_on=delivered_on(warranty.line.order), after_months=warranty.after_months,
                months=warranty.months,
            )
            return Device.objects.create(
                warranty=warranty, unit=warranty.devices.count() + 1,
                delivered_on=delivered_on(warranty.line.order), starts_on=starts, ends_on=ends,
                registered_by=user if user.is_authenticated else None, **ident,
            )
    except IntegrityError:
        # A concurrent registration of the same IMEI (the lock serialises one warranty's units).
        raise RegistrationError(_("This IMEI is already registered.")) from None


@dataclass(frozen=True)
class Cover:
    device: Device
    covered: bool


def cover_lookup(*, channel, imei: str, order_number: str, today: date) -> Cover | None:
    """The cover of the device with ``imei`` bought in ``order_number`` here; None if no such device."""
    try:
        imei = rules.normalise_imei(imei)
    except rules.InvalidIdentifier as exc:
        raise RegistrationError(IMEI_ERRORS[exc.reason]) from None
    device = (
        Device.objects.select_related("warranty__plan", "warranty__product_line")
        .filter(imei=imei, warranty__line__order__number=order_number.strip().upper(),
                warranty__line__order__channel=channel)
        .first()
    )
    if device is None:
        return None
    covered = device.voided_at is None and rules.is_covered(ends_on=device.ends_on, today=today)
    return Cover(device=device, covered=covered)


def devices_void_returned(*, line, units_kept: int) -> int:
    """A return of ``line`` was received: void its registered devices beyond the units the shopper keeps.

    The shopper keeps ``units_kept`` units of the line; any more devices registered on its
    warranty went back with the return. Which ones is not said, so the last registered go:
    the ones kept were registered first, as a rule. Their IMEIs can be registered again by
    the next owner (``device_imei_registered_once`` ignores voided rows). The number voided.
    """
    from django.utils import timezone

    active = list(Device.objects.select_for_update().filter(warranty__product_line=line, voided_at__isnull=True)
                  .order_by("-date_created", "-pk").values_list("pk", flat=True))
    extra = active[:max(len(active) - max(units_kept, 0), 0)]
    return Device.objects.filter(pk__in=extra).update(voided_at=timezone.now())


def _digits(text) -> str:
    return "".join(ch for ch in str(text or "") if ch.isascii() and ch.isdigit())


def guest_order_proven(*, channel, number: str, email: str = "", phone: str = ""):
    """The order of ``channel`` with ``number`` placed with that e-mail or phone number; None otherwise.

    A phone matches on its last nine digits, so "+234 803 123 4567" and
    "0803 123 4567" are the same number.
    """
    from marketplace.order.models import Order

    order = (Order.objects.select_related("shipping_address")
             .filter(number=number.strip().upper(), channel=channel).first())
    if order is None:
        return None
    if email and order.email and email.strip().lower() == order.email.strip().lower():
        return order
    wanted, known = _digits(phone), _digits(getattr(order.shipping_address, "phone_number", ""))
    if len(wanted) >= 9 and len(known) >= 9 and wanted[-9:] == known[-9:]:
        return order
    return None

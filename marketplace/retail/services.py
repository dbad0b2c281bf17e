"""
What a partner shop offers at checkout, the checks when an order is placed, and
the life of its orders: accepted or declined (or not answered in time), out for
delivery, delivered against the shopper's delivery code.

Order statuses move only through ``payments.transitions`` (the one service that
moves an order and its payment together): a declined or expired order is
cancelled there, which voids a pending payment and gives the stock back.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.locator.cities import city_named
from marketplace.locator.geo import distance_km
from marketplace.order import statuses
from marketplace.order.exceptions import CheckoutError
from marketplace.payments import transitions

from . import rules, selectors
from .methods import ShopMethod
from .models import Retailer, RetailOrder, RetailPolicy


class RetailError(Exception):
    """A shop's action that cannot be done now; ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


# What a shop offers ------------------------------------------------------------------


def _address_parts(address) -> tuple[str, str]:
    """(city, district) of a shipping address: the city is line 4, the district line 3."""
    if address is None:
        return "", ""
    return (getattr(address, "line4", "") or "").strip(), (getattr(address, "line3", "") or "").strip()


def delivers_to_address(retailer: Retailer, *, city: str, district: str) -> bool:
    """Whether the shop's delivery area holds an address in ``city`` / ``district``."""
    place = city_named(retailer.channel.country.code, city) if city else None
    return rules.delivers_to(
        shop_city=retailer.city, radius_km=retailer.delivery_radius_km,
        districts=retailer.delivery_districts, address_city=city, address_district=district,
        distance_km=distance_km(retailer.point, place.point) if place else None,
    )


def shop_handovers(
    retailer: Retailer, *, city: str, district: str, moment=None, zones=None,
) -> rules.Handovers:
    """What the shop may offer an address now: its zone's rules, then its delivery area.

    Delivery follows the zone of the address; pickup at the shop door follows the
    zone of the shop.
    """
    moment = moment or timezone.now()
    zones = selectors.zone_statuses(retailer.channel) if zones is None else zones
    local = timezone.localtime(moment, retailer.channel.tzinfo).time()
    at_address = rules.handovers(
        rules.zone_in_force(zones, city=city, district=district, moment=moment), local
    )
    at_shop = rules.handovers(
        rules.zone_in_force(zones, city=retailer.city, district=retailer.district, moment=moment),
        local,
    )
    delivery = at_address.delivery and bool(city) and delivers_to_address(
        retailer, city=city, district=district
    )
    return rules.Handovers(delivery=delivery, contactless=at_address.contactless, pickup=at_shop.pickup)


def shop_methods(basket, shipping_addr):
    """The shipping provider for a partner shop's basket (``shipping.providers``)."""
    lines = list(basket.all_lines()) if basket.id else []
    retailer, mixed = selectors.basket_shop(lines)
    if retailer is None:
        return None
    if mixed:
        return []
    city, district = _address_parts(shipping_addr)
    offered = shop_handovers(retailer, city=city, district=district)
    methods = []
    if offered.delivery:
        methods.append(ShopMethod(retailer, RetailOrder.DELIVERY, contactless=offered.contactless))
    if offered.pickup:
        methods.append(ShopMethod(retailer, RetailOrder.PICKUP))
    return methods


def shop_payment_options(options, *, shipping_method, total):
    """The payment step for a shop's basket: pay on delivery only within the shop's limit
    (the same rule ``check_placement`` enforces when the order is placed). No query: the
    chosen method carries its shop."""
    if not isinstance(shipping_method, ShopMethod):
        return options
    limit = shipping_method.retailer.cash_on_delivery_limit
    return [
        option for option in options
        if not option.is_pay_on_delivery or rules.takes_cash(total, limit)
    ]


def retailer_create(
    *, channel, name: str, slug: str, address: str, city: str, latitude: float, longitude: float,
    phone: str, district: str = "", whatsapp: str = "", brands=(), radius_km=None, districts=(),
    cash_limit=0, hours=(),
) -> Retailer:
    """A partner shop with its seller (a local shop in ``channel``) and its weekly hours.

    ``hours``: (weekday, opens, closes) in the channel's time zone.
    """
    from decimal import Decimal

    from marketplace.locator.coordinates import parse_point
    from marketplace.partner.models import Partner

    from .models import OpeningHours
    from .phones import normalise_phone

    # Six decimals (about 10 cm) are what a shop's position needs.
    point = parse_point(*(round(float(v), 6) if not isinstance(v, str) else v for v in (latitude, longitude)))
    country = channel.country.code
    with transaction.atomic():
        partner = Partner.objects.create(
            name=name, slug=f"shop-{channel.code}-{slug}"[:128], is_local_shop=True
        )
        retailer = Retailer.objects.create(
            partner=partner, channel=channel, slug=slug, name=name, address=address, city=city,
            district=district, latitude=point.latitude, longitude=point.longitude,
            phone=normalise_phone(phone, country),
            whatsapp=normalise_phone(whatsapp, country) if whatsapp else "",
            delivery_radius_km=None if radius_km is None else Decimal(str(radius_km)),
            delivery_districts=list(districts), cash_on_delivery_limit=Decimal(str(cash_limit)),
        )
        retailer.brands.set(brands)
        OpeningHours.objects.bulk_create(
            OpeningHours(retailer=retailer, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in hours
        )
        retailer_saved(retailer)
    return retailer


def retailer_saved(retailer: Retailer) -> None:
    """A shop's seller is a local shop selling in the shop's channel (its listings leave
    the marketplace's catalogue for the shop's page)."""
    partner = retailer.partner
    if not partner.is_local_shop:
        partner.is_local_shop = True
        partner.save(update_fields=["is_local_shop"])
    partner.channels.add(retailer.channel)


# Placing an order ---------------------------------------------------------------------


def check_placement(
    *, lines, channel, shipping_address, shipping_method, payment_option, total, **kwargs
):
    """A placement check (``order.hooks``): a shop's basket is placed only as its zone,
    area and limits allow at this moment."""
    retailer, mixed = selectors.basket_shop(lines)
    if retailer is None:
        return
    if mixed:
        raise CheckoutError(_(
            "Your basket mixes a partner shop's items with others. Order them separately."
        ))
    if retailer.channel_id != channel.pk or not retailer.is_active:
        raise CheckoutError(_("This shop does not take orders here."))
    code = getattr(shipping_method, "code", "")
    handover = ShopMethod.handover_of(code, retailer)
    if handover is None:
        raise CheckoutError(_("Choose how the shop hands your order over."))
    city, district = _address_parts(shipping_address)
    offered = shop_handovers(retailer, city=city, district=district)
    if handover == RetailOrder.DELIVERY and not offered.delivery:
        if not offered.any:
            raise CheckoutError(_("This shop cannot take orders for this address today."))
        raise CheckoutError(_(
            "The shop cannot deliver to this address now (its area or the zone's rules)."
        ))
    if handover == RetailOrder.PICKUP and not offered.pickup:
        raise CheckoutError(_("Pickup at the shop door is not allowed in its zone today."))
    if getattr(payment_option, "is_pay_on_delivery", False) and not rules.takes_cash(
        total.incl_tax, retailer.cash_on_delivery_limit
    ):
        raise CheckoutError(_(
            "This shop takes payment on delivery only for smaller orders. Choose another way to pay."
        ))


def policy(channel) -> RetailPolicy:
    return RetailPolicy.objects.filter(channel=channel).first() or RetailPolicy(channel=channel)


def new_delivery_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def retail_order_open(order) -> RetailOrder | None:
    """Route a just-placed order to its shop (called inside the order transaction)."""
    if not ShopMethod.is_shop_code(order.shipping_code):
        return None  # a marketplace order: no query spent on it (the order POST is pinned)
    lines = list(order.lines.select_related("stockrecord__partner"))
    retailer, _mixed = selectors.basket_shop(lines)
    if retailer is None:
        return None
    handover = ShopMethod.handover_of(order.shipping_code, retailer) or RetailOrder.DELIVERY
    contactless = handover == RetailOrder.DELIVERY and ShopMethod.is_contactless(order.shipping_code)
    minutes = policy(order.channel).answer_within_minutes
    language = translation.get_language() or ""
    retail_order = RetailOrder.objects.create(
        order=order, retailer=retailer, handover=handover, contactless=contactless,
        answer_by=timezone.now() + timedelta(minutes=minutes), delivery_code=new_delivery_code(),
        # The language the shopper ordered in (the storefront's, or the message's).
        language=language if language in order.channel.languages else "",
    )
    _notify(retail_order, "placed")
    return retail_order


# The shop's answers and the delivery ---------------------------------------------------


def _lock(retail_order: RetailOrder) -> RetailOrder:
    return RetailOrder.objects.select_for_update().select_related("order", "retailer").get(
        pk=retail_order.pk
    )


def _move(retail_order: RetailOrder, new: str) -> RetailOrder:
    if not rules.may_move(retail_order.status, new):
        raise RetailError(_("This order cannot go from “%(old)s” to “%(new)s”.") % {
            "old": retail_order.get_status_display(),
            "new": dict(RetailOrder.STATUSES)[new],
        })
    retail_order.status = new
    retail_order.save(update_fields=["status", "date_updated"])
    return retail_order


def retail_order_accept(retail_order: RetailOrder, *, tell_shopper: bool = True) -> RetailOrder:
    """The shop takes the order. ``tell_shopper=False``: the shop placed it itself from the
    shopper's message, whose reply already says it is placed (one text fewer)."""
    with transaction.atomic():
        locked = _lock(retail_order)
        if locked.status == RetailOrder.NEW and locked.answer_by < timezone.now():
            raise RetailError(_("Too late: the time to answer this order is over."))
        _move(locked, RetailOrder.ACCEPTED)
        if locked.order.status in (statuses.PENDING, statuses.PAID):
            transitions.order_move(order=locked.order, status=statuses.PROCESSING)
        if tell_shopper:
            _notify(locked, "accepted")
    return locked


def _cancel(retail_order: RetailOrder, new: str, reason: str) -> RetailOrder:
    with transaction.atomic():
        locked = _lock(retail_order)
        if locked.status == new:
            return locked
        _move(locked, new)
        # Voids a pending payment and gives the stock back, in this transaction.
        transitions.order_cancel(order=locked.order, reason=reason)
        _notify(locked, new)
    return locked


def retail_order_decline(retail_order: RetailOrder) -> RetailOrder:
    return _cancel(retail_order, RetailOrder.DECLINED, _("Declined by the partner shop."))


def retail_orders_expire(now=None) -> list[int]:
    """Cancel the orders their shops did not answer in time; their ids."""
    now = now or timezone.now()
    expired = []
    for pk in RetailOrder.objects.filter(status=RetailOrder.NEW, answer_by__lt=now).values_list(
        "pk", flat=True
    ):
        retail_order = RetailOrder.objects.get(pk=pk)
        try:
            _cancel(retail_order, RetailOrder.EXPIRED, _("Not answered in time by the partner shop."))
        except RetailError:
            continue  # answered meanwhile
        expired.append(pk)
    return expired


def retail_order_out_for_delivery(retail_order: RetailOrder) -> RetailOrder:
    with transaction.atomic():
        locked = _lock(retail_order)
        if locked.order.status == statuses.AWAITING_PAYMENT:
            raise RetailError(_("The shopper has not paid yet."))
        _move(locked, RetailOrder.OUT_FOR_DELIVERY)
        transitions.order_move(order=locked.order, status=statuses.SHIPPED)
        _notify(locked, "out")
    return locked


def retail_order_deliver(retail_order: RetailOrder, code: str) -> RetailOrder:
    """Complete the handover with the shopper's code; wrong codes are counted and limited.

    A wrong code is refused after its count is committed: the limit holds however
    often the form is sent.
    """
    refused = None
    with transaction.atomic():
        locked = _lock(retail_order)
        tries = policy(locked.order.channel).delivery_code_tries
        if locked.code_tries >= tries:
            raise RetailError(_("Too many wrong codes: ask the marketplace's support to confirm."))
        if locked.status not in (RetailOrder.ACCEPTED, RetailOrder.OUT_FOR_DELIVERY):
            raise RetailError(_("Only an accepted order can be handed over."))
        if not rules.code_matches(locked.delivery_code, code):
            locked.code_tries += 1
            locked.save(update_fields=["code_tries", "date_updated"])
            left = tries - locked.code_tries
            refused = RetailError(ngettext(
                "Wrong delivery code (%(left)d try left).",
                "Wrong delivery code (%(left)d tries left).", left,
            ) % {"left": left})
        else:
            if locked.order.status == statuses.AWAITING_PAYMENT:
                raise RetailError(_("The shopper has not paid yet."))
            if locked.status == RetailOrder.ACCEPTED:
                transitions.order_move(order=locked.order, status=statuses.SHIPPED)
            _move(locked, RetailOrder.DELIVERED)
            transitions.order_move(order=locked.order, status=statuses.DELIVERED)
            _notify(locked, "delivered")
    if refused is not None:
        raise refused
    return locked


def _notify(retail_order: RetailOrder, event: str) -> None:
    from .tasks import notify_shopper

    transaction.on_commit(lambda: notify_shopper.delay(retail_order.pk, event))

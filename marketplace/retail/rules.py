"""
Partner retail rules as pure functions over plain data: zones, handovers, the
delivery area, opening hours, the moves of a shop's order. No database here.

Zones: the status of an area is its latest one that has started; a district's
own status overrides its city's. With no status at all an area is green.

- green: delivery to the door, and pickup at the shop door;
- orange: delivery only contactless, only within the operator's hours (local
  time of the order); pickup at the shop door if the operator allows it;
- red: no delivery; pickup at the shop door only if the operator allows it,
  else no orders at all.
"""

import datetime
import hmac
from dataclasses import dataclass
from decimal import Decimal

GREEN, ORANGE, RED = "green", "orange", "red"


@dataclass(frozen=True)
class ZoneStatus:
    city: str
    district: str
    status: str
    starts_at: datetime.datetime
    delivery_from: datetime.time | None = None
    delivery_until: datetime.time | None = None
    shop_pickup_allowed: bool = True


@dataclass(frozen=True)
class Handovers:
    """What a shop may offer for an order in an area at a moment."""

    delivery: bool
    contactless: bool
    pickup: bool

    @property
    def any(self) -> bool:
        return self.delivery or self.pickup


def _same(a: str, b: str) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def zone_in_force(zones, *, city: str, district: str, moment: datetime.datetime) -> ZoneStatus | None:
    """The status that applies to (city, district) at ``moment``; None: no status (green)."""
    started = [z for z in zones if z.starts_at <= moment and _same(z.city, city)]
    if district:
        own = [z for z in started if z.district and _same(z.district, district)]
        if own:
            return max(own, key=lambda z: z.starts_at)
    whole_city = [z for z in started if not z.district]
    return max(whole_city, key=lambda z: z.starts_at) if whole_city else None


def handovers(zone: ZoneStatus | None, local_time: datetime.time) -> Handovers:
    """What may be offered under ``zone`` at ``local_time`` (the channel's time zone)."""
    if zone is None or zone.status == GREEN:
        return Handovers(delivery=True, contactless=False, pickup=True)
    if zone.status == ORANGE:
        in_hours = (
            zone.delivery_from is not None and zone.delivery_until is not None
            and zone.delivery_from <= local_time < zone.delivery_until
        )
        return Handovers(delivery=in_hours, contactless=True, pickup=zone.shop_pickup_allowed)
    return Handovers(delivery=False, contactless=False, pickup=zone.shop_pickup_allowed)


def delivers_to(
    *, shop_city: str, radius_km: Decimal | None, districts, address_city: str,
    address_district: str, distance_km: float | None,
) -> bool:
    """Whether the shop's delivery area holds an address.

    ``distance_km``: from the shop to the address's city (None when the city is unknown).
    A district listed counts only in the shop's own city.
    """
    if districts and address_district and _same(shop_city, address_city):
        if any(_same(d, address_district) for d in districts):
            return True
    if radius_km is not None and distance_km is not None:
        return distance_km <= float(radius_km)
    return False


def is_open(hours, local: datetime.datetime) -> bool:
    """``hours``: (weekday, opens, closes) spans in local time; ``local`` a local datetime."""
    now = local.time()
    return any(day == local.weekday() and opens <= now < closes for day, opens, closes in hours)


def takes_cash(total: Decimal, limit: Decimal) -> bool:
    """Pay on delivery is offered up to the shop's limit (none with a zero limit)."""
    return Decimal(0) < total <= limit


# The moves of a shop's order (RetailOrder.status).
NEW, ACCEPTED, DECLINED, EXPIRED, OUT, DELIVERED = (
    "new", "accepted", "declined", "expired", "out", "delivered",
)
MOVES = {
    NEW: (ACCEPTED, DECLINED, EXPIRED),
    ACCEPTED: (OUT, DELIVERED),  # delivered straight away: a pickup at the door
    OUT: (DELIVERED,),
    DECLINED: (),
    EXPIRED: (),
    DELIVERED: (),
}


def may_move(old: str, new: str) -> bool:
    return new in MOVES.get(old, ())


def code_matches(expected: str, given: str) -> bool:
    """The code the shopper gives (spaces ignored) is the order's, compared in constant time."""
    given = "".join((given or "").split())[:16]
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


# Orders by message: "ORDER <item code> <quantity>" in the channel's languages.
#: The word that starts an order, per language (case and accents as shoppers type them).
ORDER_WORDS = {
    "ORDER": "en", "BUY": "en", "COMMANDE": "fr", "COMMANDER": "fr", "AGIZA": "sw", "NUNUA": "sw",
    "طلب": "ar", "اطلب": "ar",
}
#: The most units one message may ask for (a shop's counter, not a wholesaler's).
MAX_MESSAGE_QUANTITY = 20
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class MessageOrder:
    """What a shopper's text asks for; ``problem`` set when it cannot be read."""

    language: str | None  # of the order word; None when there is none
    sku: str = ""
    quantity: int = 0
    problem: str = ""  # "not_an_order", "no_item", "bad_quantity"


def parse_order_message(text: str) -> MessageOrder:
    """Read "ORDER <code> [<quantity>]" (quantity 1 when left out).

    The quantity is ASCII or Arabic-Indic digits only: "NaN", "1e9", "-1", "2.5"
    and anything above ``MAX_MESSAGE_QUANTITY`` are a bad quantity, never a number.
    """
    words = (text or "").split()
    if not words or words[0].upper() not in ORDER_WORDS:
        return MessageOrder(language=None, problem="not_an_order")
    language = ORDER_WORDS[words[0].upper()]
    if len(words) < 2 or not words[1].isprintable() or len(words[1]) > 64:
        return MessageOrder(language=language, problem="no_item")
    sku = words[1]
    if len(words) == 2:
        return MessageOrder(language=language, sku=sku, quantity=1)
    digits = words[2].translate(_ARABIC_INDIC)
    if len(words) > 3 or not (digits.isascii() and digits.isdigit()) or len(digits) > 3:
        return MessageOrder(language=language, sku=sku, problem="bad_quantity")
    quantity = int(digits)
    if not 1 <= quantity <= MAX_MESSAGE_QUANTITY:
        return MessageOrder(language=language, sku=sku, problem="bad_quantity")
    return MessageOrder(language=language, sku=sku, quantity=quantity)

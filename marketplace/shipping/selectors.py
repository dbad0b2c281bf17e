"""Reading an order's delivery back from the shipping code it was placed with."""

from dataclasses import dataclass

from marketplace.delivery.models import DeliveryOption, PickupStation


@dataclass(frozen=True)
class OrderDelivery:
    option: DeliveryOption | None
    station: PickupStation | None


def parse_code(code: str) -> tuple[str, int | None, int | None]:
    """``pickup-3-7`` → ``("pickup", 3, 7)``: the ``DeliveryMethod.code`` format."""
    kind, _sep, rest = (code or "").partition("-")
    ids = []
    for part in rest.split("-") if rest else []:
        ids.append(int(part) if part.isdigit() else None)
    option_id = ids[0] if ids else None
    station_id = ids[1] if len(ids) > 1 else None
    return kind, option_id, station_id


def order_delivery(order) -> OrderDelivery:
    """The delivery option (and pickup station) ``order`` chose, as they are now (or None)."""
    _kind, option_id, station_id = parse_code(order.shipping_code)
    option = station = None
    if option_id is not None:
        option = DeliveryOption.objects.filter(pk=option_id, channel_id=order.channel_id).first()
    if station_id is not None:
        station = PickupStation.objects.filter(pk=station_id, channel_id=order.channel_id).first()
    return OrderDelivery(option=option, station=station)

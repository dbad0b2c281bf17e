"""What a partner shop's page and the locator say about a shop now (read, no writes)."""

from dataclasses import dataclass

from django.utils import timezone

from . import rules
from .models import Zone


@dataclass(frozen=True)
class ShopNow:
    is_open: bool
    zone: rules.ZoneStatus | None
    zone_label: str
    handovers: rules.Handovers  # at the shop itself (its city and district)


ZONE_LABELS = dict(Zone.STATUSES)


def shop_now(retailer, zones, moment=None) -> ShopNow:
    moment = moment or timezone.now()
    local = timezone.localtime(moment, retailer.channel.tzinfo)
    hours = [(h.weekday, h.opens, h.closes) for h in retailer.hours.all()]
    zone = rules.zone_in_force(zones, city=retailer.city, district=retailer.district, moment=moment)
    status = zone.status if zone else rules.GREEN
    return ShopNow(
        is_open=rules.is_open(hours, local), zone=zone, zone_label=ZONE_LABELS[status],
        handovers=rules.handovers(zone, local.time()),
    )


def minute_key(request) -> str:
    """Pages that say "open now" are kept per minute of the channel's clock."""
    return timezone.localtime(timezone.now(), request.channel.tzinfo).strftime("%Y%m%d%H%M")

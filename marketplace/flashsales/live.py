"""The live figures of a sale for its back-office view: per item and channel."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .counts import units_left
from .models import Reservation


def live_figures(sale) -> list[dict]:
    """Units claimed (ever granted), reserved (held now), ordered and left, per item."""
    moment = timezone.now()
    items = list(sale.items.select_related("listing__channel", "listing__product").order_by("listing__channel_id", "pk"))
    sums = {
        row["item_id"]: row for row in Reservation.objects.filter(item__sale=sale).values("item_id").annotate(
            claimed=Sum("quantity"),
            reserved=Sum("quantity", filter=Q(status=Reservation.RESERVED, expires_at__gt=moment)),
            ordered=Sum("quantity", filter=Q(status=Reservation.ORDERED)),
            claims=Count("pk"),
        )
    }
    rows = []
    for item in items:
        found = sums.get(item.pk, {})
        rows.append({
            "item": item, "id": item.pk, "channel": item.listing.channel.code.upper(),
            "product": str(item.listing.product), "units": item.units,
            "claimed": found.get("claimed") or 0, "reserved": found.get("reserved") or 0,
            "ordered": found.get("ordered") or 0, "left": units_left(item_id=item.pk, units=item.units),
        })
    return rows

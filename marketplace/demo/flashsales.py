"""
The demo fan festival, idempotently, relative to now: the Mi Fan Festival runs a
live flash sale (Redmi phones and accessories in NG, KE, EG and CI, started half
an hour ago, six hours long) and a second one starting in three hours, so the
home strip and its countdowns show whenever the demo is (re)built.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from marketplace.channels.money import quantize
from marketplace.flashsales import holds
from marketplace.flashsales.models import Festival, FestivalTranslation, Sale, SaleItem
from marketplace.partner.models import Partner, StockRecord

FESTIVAL = ("mi-fan-festival", "Mi Fan Festival", {"fr": "Festival des fans Mi", "ar": "مهرجان معجبي Mi",
                                                  "sw": "Tamasha la Mashabiki wa Mi"})
CHANNELS = ("NG", "KE", "EG", "CI")
# (sale name, starts in, lasts, [(product UPC, discount, units, per-shopper limit)])
SALES = [
    ("Mi Fan Festival: live deals", timedelta(minutes=-30), timedelta(hours=6), [
        ("XM-NOTE13-6-128", Decimal("0.20"), 50, 1),
        ("XM-13C-4-128", Decimal("0.25"), 40, 1),
        ("XM-BUDS5", Decimal("0.30"), 100, 2),
        ("XM-PB10K", Decimal("0.35"), 100, 2),
    ]),
    ("Mi Fan Festival: next drop", timedelta(hours=3), timedelta(hours=2), [
        ("XM-NOTE13-8-256", Decimal("0.20"), 30, 1),
        ("XM-WATCH4", Decimal("0.25"), 60, 1),
    ]),
]


def seed_flash_sales(channels) -> None:
    slug, name, names = FESTIVAL
    festival, _ = Festival.objects.update_or_create(slug=slug, defaults={"name": name})
    for language, text in names.items():
        FestivalTranslation.objects.update_or_create(parent=festival, language=language, defaults={"name": text})
    mi = Partner.objects.get(slug="mi-official-store")
    now = timezone.now().replace(microsecond=0)
    sale_channels = [channels[code] for code in CHANNELS]
    for sale_name, starts_in, lasts, items in SALES:
        sale, _ = Sale.objects.update_or_create(
            name=sale_name, seller=mi,
            defaults={"festival": festival, "starts_at": now + starts_in, "ends_at": now + starts_in + lasts,
                      "status": Sale.APPROVED, "reservation_minutes": 10},
        )
        sale.channels.set(sale_channels)
        holds.sale_release(sale_id=sale.pk)  # held again below, for the items as they are now
        for upc, discount, units, per_shopper in items:
            for channel in sale_channels:
                listing = StockRecord.objects.filter(product__upc=upc, partner=mi, channel=channel).first()
                if listing is None or not listing.price:
                    continue
                price = quantize(listing.price * (1 - discount), channel.currency)
                free = (listing.num_in_stock or 0) - (listing.num_allocated or 0)
                existing = SaleItem.objects.filter(sale=sale, listing=listing).first()
                taken = existing.units_taken if existing else 0
                # At most half the listing's units go to the sale, so the product can still be
                # bought at its regular price beside it (held units leave regular stock).
                wanted = max(min(units, (free + taken) // 2), taken, 1)
                if free + taken < 1:
                    continue
                item, _ = SaleItem.objects.update_or_create(
                    sale=sale, listing=listing,
                    defaults={"sale_price": price, "units": wanted, "per_shopper_limit": per_shopper},
                )
                try:
                    holds.item_hold(item=item)  # approved: its units leave regular stock
                except holds.NotEnoughStock:
                    continue  # units reserved meanwhile by shoppers: the next rebuild holds them

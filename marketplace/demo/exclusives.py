"""
Demo exclusives, idempotently: Redmi Go is Mi Official Store's alone in every
launch channel (since a past date, no end); Lagos Gadgets Hub's Redmi Go listing
in NG is suspended because of it; the Xiaomi 14T becomes exclusive next month.
"""

import datetime as dt

from django.utils import timezone
from oscar.apps.catalogue.models import Product

from marketplace.exclusives.models import ExclusiveRule, ListingSuspension
from marketplace.partner.models import Partner, StockRecord

REDMI_GO_SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
REDMI_GO_AGREEMENT = "DEMO-XM-REDMIGO-AFRICA"
LAUNCH_AGREEMENT = "DEMO-XM-14T-LAUNCH"


def _first_of_next_month(now: dt.datetime) -> dt.datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def _rule(*, product, store, channels, starts_at, ends_at, reason, processed=None):
    rule, _ = ExclusiveRule.objects.update_or_create(
        product=product, store=store, reason=reason,
        defaults={"starts_at": starts_at, "ends_at": ends_at, "start_processed_at": processed},
    )
    rule.channels.set(channels)
    return rule


def seed_exclusives(channels) -> None:
    mi = Partner.objects.get(slug="mi-official-store")
    lagos = Partner.objects.get(slug="lagos-gadgets-hub")
    redmi_go = Product.objects.get(upc="XM-REDMIGO")
    rule = _rule(
        product=redmi_go, store=mi, channels=channels.values(), starts_at=REDMI_GO_SINCE,
        ends_at=None, reason=REDMI_GO_AGREEMENT, processed=REDMI_GO_SINCE,
    )
    variant = Product.objects.get(upc="XM-REDMIGO-1-16")
    ng = channels["NG"]
    listing, _ = StockRecord.objects.update_or_create(
        product=variant, partner=lagos, channel=ng,
        defaults={
            "partner_sku": f"{lagos.slug}-{variant.upc}".upper(),
            "price": mi.stockrecords.get(product=variant, channel=ng).price - 1000,
            "num_in_stock": 10, "is_live": False,
        },
    )
    ListingSuspension.objects.update_or_create(listing=listing, defaults={"rule": rule})

    _rule(
        product=Product.objects.get(upc="XM-14T"), store=mi,
        channels=[channels["NG"], channels["KE"]],
        starts_at=_first_of_next_month(timezone.now()), ends_at=None, reason=LAUNCH_AGREEMENT,
    )

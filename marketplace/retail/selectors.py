"""Reading partner shops, their zones and listings."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce

from marketplace.locator.selectors import nearest_first
from marketplace.order import statuses
from marketplace.partner.models import StockRecord

from . import rules
from .models import OpeningHours, Retailer, RetailOrder, Zone


def zone_statuses(channel) -> list[rules.ZoneStatus]:
    """Every zone status of the channel (a handful per city), as the rules read them.

    Read fresh on each request that needs them: an operator's change applies from
    the next request.
    """
    return [
        rules.ZoneStatus(
            city=z.city, district=z.district, status=z.status, starts_at=z.starts_at,
            delivery_from=z.delivery_from, delivery_until=z.delivery_until,
            shop_pickup_allowed=z.shop_pickup_allowed,
        )
        for z in Zone.objects.filter(channel=channel).order_by("pk")
    ]


def active_retailers(channel):
    return (
        Retailer.objects.filter(channel=channel, is_active=True)
        .select_related("partner", "channel")
        .prefetch_related(Prefetch("hours", OpeningHours.objects.order_by("weekday", "opens")))
    )


def retailer_in_channel(channel, slug: str) -> Retailer | None:
    """The channel's active shop at ``slug``; None for another channel's or an unknown one."""
    return active_retailers(channel).filter(slug=str(slug)[:64]).first()


def in_stock(product_id: int):
    """Whether the row's shop has a live listing of the product (or a variant) with stock."""
    return Exists(
        StockRecord.objects.filter(
            partner=OuterRef("partner"), channel=OuterRef("channel"), is_live=True,
            price__isnull=False, num_in_stock__gt=Coalesce(F("num_allocated"), 0),
        ).filter(Q(product_id=product_id) | Q(product__parent_id=product_id))
    )


def retailers_near(channel, point, *, limit: int = 20, product_id: int | None = None) -> list:
    """The channel's active shops nearest to ``point``, each with ``distance_km`` (and
    ``has_product`` when a product is asked about)."""
    queryset = active_retailers(channel)
    if product_id is not None:
        queryset = queryset.annotate(has_product=in_stock(product_id))
    return nearest_first(queryset, point, limit=limit)


def shop_listings(retailer):
    """The shop's live listings in its channel, with their products, cheapest first."""
    return (
        StockRecord.objects.filter(
            partner=retailer.partner, channel=retailer.channel, is_live=True,
            price__isnull=False, product__is_public=True,
        )
        .select_related("product", "product__parent", "partner")
        .order_by("product__title", "pk")
    )


def basket_shop(lines) -> tuple[Retailer | None, bool]:
    """The shop a basket's lines come from, and whether they mix it with anything else.

    (None, False): no shop's line (a marketplace basket); (shop, False): only that
    shop's lines; (shop or None, True): a shop's lines mixed with others.
    """
    partners = {line.stockrecord.partner_id: line.stockrecord.partner for line in lines if line.stockrecord_id}
    shops = [p for p in partners.values() if p.is_local_shop]
    if not shops:
        return None, False
    retailer = Retailer.objects.filter(partner=shops[0]).select_related("channel").first()
    return retailer, len(partners) > 1


# A partner shop's order sells unless the shop declined it or let it expire, or the
# order was cancelled (the same orders the back-office home counts as placed).
SHOP_SELLING = (RetailOrder.NEW, RetailOrder.ACCEPTED, RetailOrder.OUT_FOR_DELIVERY, RetailOrder.DELIVERED)


# The partner shops' orders list filters them with ``?brand_sales=yes`` (``admin.BrandSalesFilter``).
BRAND_SALES_PARAMETER = "brand_sales"


def brand_sale_lines(brand_ids) -> Q:
    """A filter on order lines: the lines of the brands' products sold through partner
    shops of those brands.

    Only the brands' own product lines count: another brand's line in the same order
    never does, nor an add-on bought with a line (an extended warranty is the shop's
    service, not a unit of the brand). The order must be a partner shop's order of a
    shop the brands are partners of, still selling (``SHOP_SELLING``) and not cancelled.
    """
    ids = sorted(brand_ids)
    placed = [status for status in statuses.PIPELINE if status != statuses.CANCELLED]
    return Q(
        parent_line__isnull=True, order__status__in=placed, order__retail__status__in=SHOP_SELLING,
        order__retail__retailer__in=Retailer.objects.filter(brands__in=ids).values("pk"),
    ) & (Q(product__brand_link__brand__in=ids) | Q(product__parent__brand_link__brand__in=ids))

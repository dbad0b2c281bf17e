"""
The admin index's figures: counts and sums made in the database, per channel.

Pure reads over querysets the caller has already scoped (each admin's own
``get_queryset``, so a figure counts exactly the rows its change list shows).
Each function is one query, or two, whatever the number of channels, orders or
listings: they group by channel and count with conditional aggregates.
Periods are each channel's own (``periods``), so "today" is the channel's.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from marketplace.backoffice.display import stock_level_condition
from marketplace.backoffice.periods import Period
from marketplace.order import statuses
from marketplace.order.models import Line
from marketplace.retail.selectors import brand_sale_lines

# Orders the marketplace or its sellers must move on: to prepare (pay on
# delivery, or paid online) or to ship. An order awaiting payment waits for the
# provider, a shipped one for the carrier.
WAITING = (statuses.PENDING, statuses.PAID, statuses.PROCESSING)
# Every order placed counts in the day's orders and revenue, except cancelled ones.
PLACED = tuple(status for status in statuses.PIPELINE if status != statuses.CANCELLED)
FAILED_PAYMENTS = (statuses.PAYMENT_FAILED, statuses.PAYMENT_EXPIRED)


@dataclass(frozen=True)
class ChannelPeriods:
    today: Period
    week: Period


@dataclass(frozen=True)
class OrderFigures:
    today_orders: int = 0
    today_revenue: Decimal = Decimal(0)
    week_orders: int = 0
    week_revenue: Decimal = Decimal(0)
    waiting: dict = field(default_factory=dict)  # status -> orders


@dataclass(frozen=True)
class BrandSalesFigures:
    today_amount: Decimal = Decimal(0)
    today_units: int = 0
    week_amount: Decimal = Decimal(0)
    week_units: int = 0
    top_shops: tuple = ()  # ShopSales this week, best first


@dataclass(frozen=True)
class ShopSales:
    retailer_id: int
    name: str
    amount: Decimal


@dataclass(frozen=True)
class ListingFigures:
    low: int = 0
    out: int = 0


@dataclass(frozen=True)
class RuleFigures:
    in_force: int = 0
    starting: int = 0


@dataclass(frozen=True)
class PaymentFigures:
    today: int = 0
    week: int = 0


def _within(moment_field: str, channel_field: str, periods: dict, which: str) -> Q:
    """``moment_field`` in each channel's ``which`` period (``today`` or ``week``)."""
    condition = Q(pk__in=[])
    for channel_id, channel_periods in periods.items():
        period = getattr(channel_periods, which)
        condition |= Q(**{
            channel_field: channel_id,
            f"{moment_field}__gte": period.start,
            f"{moment_field}__lt": period.end,
        })
    return condition


def _plain(queryset):
    # Grouped rows only: the admins' joins and prefetches are for their pages.
    return queryset.select_related(None).prefetch_related(None).order_by()


def order_figures(orders, *, periods: dict, amount: str = "total_incl_tax") -> dict:
    """Channel id -> ``OrderFigures`` of ``orders``: placed and revenue, waiting by status.

    ``amount`` is what an order adds to revenue: its total, or for a seller the
    annotation its part makes (``own_total``). One query.
    """
    placed = Q(status__in=PLACED)
    today = placed & _within("date_placed", "channel_id", periods, "today")
    week = placed & _within("date_placed", "channel_id", periods, "week")
    waiting = {f"waiting_{i}": Count("pk", filter=Q(status=s)) for i, s in enumerate(WAITING)}
    rows = (
        _plain(orders).filter(channel_id__in=list(periods)).values("channel_id")
        .annotate(
            today_orders=Count("pk", filter=today), today_revenue=Sum(amount, filter=today),
            week_orders=Count("pk", filter=week), week_revenue=Sum(amount, filter=week),
            **waiting,
        )
    )
    return {
        row["channel_id"]: OrderFigures(
            today_orders=row["today_orders"], today_revenue=row["today_revenue"] or Decimal(0),
            week_orders=row["week_orders"], week_revenue=row["week_revenue"] or Decimal(0),
            waiting={s: row[f"waiting_{i}"] for i, s in enumerate(WAITING)},
        )
        for row in rows
    }


def listing_figures(listings, *, channel_ids) -> dict:
    """Channel id -> ``ListingFigures``: live listings low on, or out of, stock. One query."""
    rows = (
        _plain(listings).filter(is_live=True, channel_id__in=list(channel_ids))
        .values("channel_id")
        .annotate(
            low=Count("pk", filter=stock_level_condition("low")),
            out=Count("pk", filter=stock_level_condition("out")),
        )
    )
    return {row["channel_id"]: ListingFigures(low=row["low"], out=row["out"]) for row in rows}


def rule_figures(rules, *, channel_ids, now, soon) -> dict:
    """Channel id -> ``RuleFigures``: exclusive-listing rules in force, and starting
    within ``soon`` (a timedelta). A rule counts in each of its channels. Two queries."""
    def per_channel(queryset):
        rows = (
            _plain(queryset).filter(channels__in=list(channel_ids)).values("channels")
            .annotate(rules=Count("pk"))
        )
        return {row["channels"]: row["rules"] for row in rows}

    in_force = per_channel(rules.in_force(now))
    starting = per_channel(rules.starting_within(now, soon))
    return {
        channel_id: RuleFigures(in_force=in_force.get(channel_id, 0), starting=starting.get(channel_id, 0))
        for channel_id in set(in_force) | set(starting)
    }


def payment_figures(payments, *, periods: dict) -> dict:
    """Channel id -> ``PaymentFigures``: payments that failed or expired today and
    this week (by when they ended). One query."""
    rows = (
        _plain(payments)
        .filter(status__in=FAILED_PAYMENTS, order__channel_id__in=list(periods))
        .values("order__channel_id")
        .annotate(
            today=Count("pk", filter=_within("completed_at", "order__channel_id", periods, "today")),
            week=Count("pk", filter=_within("completed_at", "order__channel_id", periods, "week")),
        )
    )
    return {
        row["order__channel_id"]: PaymentFigures(today=row["today"], week=row["week"])
        for row in rows
    }


def brand_partner_sales(retail_orders, retailers, *, periods: dict, brand_ids, top: int = 3) -> dict:
    """Channel id -> ``BrandSalesFigures``: what partner shops sold of the brands'
    products today and this week, and the ``top`` shops of the week.

    Only the lines ``retail.selectors.brand_sale_lines`` names (the brands' product
    lines, in shop orders still selling), of the shops' orders in ``retail_orders``;
    a channel appears when one of ``retailers`` (the shops the user sees) is a
    partner of the brands there, sold or not. Three queries.
    """
    channel_ids = list(periods)
    shop_channels = set(
        _plain(retailers).filter(brands__in=sorted(brand_ids), channel_id__in=channel_ids)
        .values_list("channel_id", flat=True).distinct()
    )
    if not shop_channels:
        return {}
    lines = Line.objects.filter(
        brand_sale_lines(brand_ids), order__retail__in=_plain(retail_orders).values("pk"),
        order__channel_id__in=sorted(shop_channels),
    ).order_by()
    today = _within("order__date_placed", "order__channel_id", periods, "today")
    week = _within("order__date_placed", "order__channel_id", periods, "week")
    sums = {
        row["order__channel_id"]: row
        for row in lines.values("order__channel_id").annotate(
            today_amount=Sum("line_price_incl_tax", filter=today), today_units=Sum("quantity", filter=today),
            week_amount=Sum("line_price_incl_tax", filter=week), week_units=Sum("quantity", filter=week),
        )
    }
    best = {}
    shops = (
        lines.filter(week)
        .values("order__channel_id", "order__retail__retailer_id", "order__retail__retailer__name")
        .annotate(amount=Sum("line_price_incl_tax"))
        .annotate(rank=Window(
            RowNumber(), partition_by=F("order__channel_id"),
            order_by=[F("amount").desc(), F("order__retail__retailer__name").asc()],
        ))
        .filter(rank__lte=top)
        .order_by("order__channel_id", "rank")
    )
    for row in shops:
        best.setdefault(row["order__channel_id"], []).append(ShopSales(
            retailer_id=row["order__retail__retailer_id"], name=row["order__retail__retailer__name"],
            amount=row["amount"],
        ))
    figures = {}
    for channel_id in shop_channels:
        row = sums.get(channel_id, {})
        figures[channel_id] = BrandSalesFigures(
            today_amount=row.get("today_amount") or Decimal(0), today_units=row.get("today_units") or 0,
            week_amount=row.get("week_amount") or Decimal(0), week_units=row.get("week_units") or 0,
            top_shops=tuple(best.get(channel_id, ())),
        )
    return figures

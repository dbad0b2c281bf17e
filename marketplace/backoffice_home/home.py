"""
One user's home on the admin index: per channel in their scope, the figures
of ``selectors`` with a link to the change list holding the same rows.

Every queryset comes from the registered admin's own ``get_queryset``, so the
figures are scoped exactly as the lists are (a seller counts only orders with
their lines and adds up only their lines; a brand manager never sees another
brand's rules), and a section appears only to a user who may open its list.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.backoffice import display, periods
from marketplace.channels.locale_names import country_name
from marketplace.channels.models import Channel
from marketplace.exclusives.models import ExclusiveRule
from marketplace.memberships.selectors import request_scope
from marketplace.order import statuses
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from marketplace.payments.models import Payment
from marketplace.retail.models import Retailer, RetailOrder
from marketplace.retail.selectors import BRAND_SALES_PARAMETER

from . import selectors

ORDERS, LISTINGS, RULES, PAYMENTS, CHANNELS = Order, StockRecord, ExclusiveRule, Payment, Channel
SHOP_ORDERS, SHOPS = RetailOrder, Retailer


@dataclass(frozen=True)
class Figure:
    """A number (or an amount, formatted) and the change list it stands for."""

    value: object
    url: str | None = None


@dataclass(frozen=True)
class Row:
    """A figure for today and for this week; ``key`` names it for pages and tests."""

    key: str
    label: str
    today: Figure
    week: Figure


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    figure: Figure


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)


@dataclass
class ChannelHome:
    channel: Channel
    name: str
    timezone: str
    rows: list = field(default_factory=list)  # Row: today and this week
    sections: list = field(default_factory=list)  # Section: what waits to be done


class _Lists:
    """Links to the site's change lists, with a query string.

    The links filter with lookups no list filter takes (``channel__exact``,
    ``status__in``), not the filters' own parameters: a list filter with a
    single choice to offer (a seller's one channel, the one status of their
    orders) has no output, and Django then drops its parameter, listing every
    row instead of the ones counted.
    """

    def __init__(self, site):
        self.site = site

    def url(self, model, **params) -> str:
        opts = model._meta
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.site.name)
        return f"{path}?{urlencode(params)}"


def _period_params(field_name, period):
    start, end = period.as_utc()
    return {f"{field_name}__gte": start, f"{field_name}__lt": end}


def channel_homes(request, site, *, now=None) -> list[ChannelHome]:
    """The user's home: a ``ChannelHome`` per channel they work in or have figures in.

    A constant number of queries: the channels, then one or two per kind of figure.
    """
    now = now or timezone.now()
    admins = {
        model: site._registry.get(model)
        for model in (ORDERS, LISTINGS, RULES, PAYMENTS, CHANNELS, SHOP_ORDERS, SHOPS)
    }
    visible = {
        model: model_admin for model, model_admin in admins.items()
        if model_admin is not None and model_admin.has_view_permission(request)
    }
    if ORDERS not in visible and LISTINGS not in visible:
        return []

    channels = Channel.objects.order_by("position", "country")
    if CHANNELS in visible:
        scoped = visible[CHANNELS].get_queryset(request).filter(pk=OuterRef("pk"))
        channels = channels.annotate(in_scope=Exists(scoped))
    channels = list(channels)
    by_id = {channel.pk: channel for channel in channels}
    channel_periods = {
        channel.pk: selectors.ChannelPeriods(
            today=periods.today(channel.tzinfo, now), week=periods.this_week(channel.tzinfo, now)
        )
        for channel in channels
    }

    orders = listings = rules = payments = {}
    own_part = False
    if ORDERS in visible:
        order_admin = visible[ORDERS]
        own_part = order_admin.sees_part(request)
        orders = selectors.order_figures(
            order_admin.get_queryset(request), periods=channel_periods,
            amount="own_total" if own_part else "total_incl_tax",
        )
    if LISTINGS in visible:
        listings = selectors.listing_figures(visible[LISTINGS].get_queryset(request), channel_ids=by_id)
    soon_days = settings.BACKOFFICE_STARTING_SOON_DAYS
    if RULES in visible:
        rules = selectors.rule_figures(
            visible[RULES].get_queryset(request), channel_ids=by_id, now=now,
            soon=timedelta(days=soon_days),
        )
    if PAYMENTS in visible:
        payments = selectors.payment_figures(visible[PAYMENTS].get_queryset(request), periods=channel_periods)
    # A brand manager's sales through the brand's partner shops (issue 12): their brand's
    # lines only, never another brand's in the same order. A superuser is no brand's
    # manager (and its memberships are not read: a query).
    brand_ids = frozenset() if request.user.is_superuser else request_scope(request).brand_ids
    brand_sales = {}
    if brand_ids and SHOP_ORDERS in visible and SHOPS in visible:
        brand_sales = selectors.brand_partner_sales(
            visible[SHOP_ORDERS].get_queryset(request), visible[SHOPS].get_queryset(request),
            periods=channel_periods, brand_ids=brand_ids,
        )

    lists = _Lists(site)
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    homes = []
    for channel in channels:
        in_scope = request.user.is_superuser or getattr(channel, "in_scope", False)
        # A rule the user sees may cover other channels too: those are no card of theirs.
        if not in_scope and not any(channel.pk in found for found in (orders, listings, payments, brand_sales)):
            continue
        home = ChannelHome(
            channel=channel, name=country_name(channel.country.code, language),
            timezone=channel.timezone,
        )
        span = channel_periods[channel.pk]
        if ORDERS in visible:
            _order_rows(home, lists, channel, span, orders.get(channel.pk, selectors.OrderFigures()), own_part)
        if channel.pk in brand_sales:
            _brand_sales_rows(home, lists, channel, span, brand_sales[channel.pk])
        if PAYMENTS in visible:
            found = payments.get(channel.pk, selectors.PaymentFigures())
            failed = {"order__channel__exact": channel.pk, "status__in": ",".join(selectors.FAILED_PAYMENTS)}
            home.rows.append(Row(
                "failed_payments", _("Failed or expired payments"),
                Figure(found.today, lists.url(PAYMENTS, **failed, **_period_params("completed_at", span.today))),
                Figure(found.week, lists.url(PAYMENTS, **failed, **_period_params("completed_at", span.week))),
            ))
        if LISTINGS in visible:
            found = listings.get(channel.pk, selectors.ListingFigures())
            live = {"channel__exact": channel.pk, "is_live__exact": 1}
            home.sections.append(Section(_("Live listings"), [
                Item("low_stock", _("Low stock"), Figure(found.low, lists.url(LISTINGS, **live, stock="low"))),
                Item("out_of_stock", _("Out of stock"), Figure(found.out, lists.url(LISTINGS, **live, stock="out"))),
            ]))
        if RULES in visible:
            found = rules.get(channel.pk, selectors.RuleFigures())
            here = {"channels__exact": channel.pk}
            home.sections.append(Section(_("Exclusive-listing rules"), [
                Item("rules_in_force", _("In force"), Figure(found.in_force, lists.url(RULES, **here, window="in_force"))),
                Item(
                    "rules_starting",
                    ngettext("Starting within %(days)d day", "Starting within %(days)d days", soon_days)
                    % {"days": soon_days},
                    Figure(found.starting, lists.url(RULES, **here, window="starting")),
                ),
            ]))
        homes.append(home)
    return homes


def _order_rows(home, lists, channel, span, found, own_part):
    placed = {"channel__exact": channel.pk, "status__in": ",".join(selectors.PLACED)}
    today = lists.url(ORDERS, **placed, **_period_params("date_placed", span.today))
    week = lists.url(ORDERS, **placed, **_period_params("date_placed", span.week))
    home.rows.append(Row("orders", _("Orders"), Figure(found.today_orders, today), Figure(found.week_orders, week)))
    home.rows.append(Row(
        "revenue", _("Revenue from your lines") if own_part else _("Revenue"),
        Figure(display.money(found.today_revenue, channel), today),
        Figure(display.money(found.week_revenue, channel), week),
    ))
    home.sections.insert(0, Section(_("Orders waiting for action"), [
        Item(
            f"waiting:{status}", str(statuses.LABELS[status]),
            Figure(found.waiting.get(status, 0), lists.url(
                ORDERS, **{"channel__exact": channel.pk, "status__in": status}
            )),
        )
        for status in selectors.WAITING
    ]))


def _brand_sales_rows(home, lists, channel, span, found):
    """A brand manager's partner shops' sales of the brand, linked to those shops' orders."""
    sold = {"retailer__channel__exact": channel.pk, BRAND_SALES_PARAMETER: "yes"}
    today = lists.url(SHOP_ORDERS, **sold, **_period_params("order__date_placed", span.today))
    week = lists.url(SHOP_ORDERS, **sold, **_period_params("order__date_placed", span.week))
    home.rows.append(Row(
        "brand_shop_sales", _("Partner shops' sales of your brand"),
        Figure(display.money(found.today_amount, channel), today),
        Figure(display.money(found.week_amount, channel), week),
    ))
    home.rows.append(Row(
        "brand_shop_units", _("Units of your brand sold by partner shops"),
        Figure(found.today_units, today), Figure(found.week_units, week),
    ))
    if found.top_shops:
        home.sections.append(Section(_("Top partner shops this week"), [
            Item(
                f"top_shop:{shop.retailer_id}", shop.name,
                Figure(display.money(shop.amount, channel), lists.url(
                    SHOP_ORDERS, **sold, **_period_params("order__date_placed", span.week),
                    retailer__id__exact=shop.retailer_id,
                )),
            )
            for shop in found.top_shops
        ]))

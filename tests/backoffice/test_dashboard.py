"""
Each back-office role's home on the admin index (issue 15 item 3, issue 14).

The figures are checked against the database as each role may see it,
computed here in Python from the rows themselves (not with the selectors'
queries): orders and revenue today and this week per channel, in the
channel's time zone and currency; orders waiting, low stock, exclusives,
failed payments. Each figure's link must open a change list of the same rows.
The world (conftest) adds other brands', sellers' and countries' orders that
must not be counted; ``busy`` adds a cancelled order, one placed just before
the channel's midnight, stock running out, rules and failed payments.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from marketplace.backoffice import display
from marketplace.backoffice_home.home import channel_homes
from marketplace.channels.money import format_money
from marketplace.exclusives.models import ExclusiveRule
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from marketplace.payments.models import Payment
from tests import factories

from .conftest import branded, make_order

# Figures "today" are the channel's day: no run may cross midnight there.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday_in_lagos")]

ROLES = ("superuser", "brand", "channel", "seller")
# What each role's home shows besides orders and listings.
SECTIONS = {
    "superuser": {"rules", "payments"},
    "channel": {"rules", "payments"},
    "brand": {"rules"},
    "seller": set(),
}


# --- the data ----------------------------------------------------------------


def _local_midnight(channel, now):
    local = timezone.localtime(now, channel.tzinfo)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@pytest.fixture
def busy(world, launch_channels):
    """The world, plus what the home must count or leave out."""
    ng, ke = world.ng, world.ke
    ci = launch_channels["ci"]
    now = timezone.now()
    # Tecno's order in NG: the NG operator's, never Xiaomi's or Lagos Gadgets Hub's.
    tecno_order = make_order("NG-2001", ng, [world.tecno_ng])
    # A cancelled order counts nowhere.
    Order.objects.filter(pk=make_order("NG-2002", ng, [world.mi_ng]).pk).update(status="Cancelled")
    # Half an hour before today's midnight in Lagos: yesterday there, whatever UTC says.
    late = make_order("NG-2003", ng, [world.mi_ng])
    Order.objects.filter(pk=late.pk).update(date_placed=_local_midnight(ng, now) - timedelta(minutes=30))
    # Paid, waiting to be prepared.
    Order.objects.filter(pk=world.order_ng_lagos.pk).update(status="Paid")
    # An order in francs CFA (no minor unit), sold by a seller of Côte d'Ivoire.
    abidjan = factories.seller("Abidjan Shop", channels=[ci])
    ci_listing = factories.listing(world.redmi, abidjan, ci, "15000")
    make_order("CI-2004", ci, [ci_listing])

    # Stock: Lagos low, Tecno low in NG (foreign to Xiaomi and Lagos), Mi's pad out;
    # a listing off sale is nobody's worry.
    StockRecord.objects.filter(pk=world.lagos_ng.pk).update(num_in_stock=3, num_allocated=0)
    StockRecord.objects.filter(pk=world.tecno_ng.pk).update(num_in_stock=4, num_allocated=2)
    StockRecord.objects.filter(pk=world.mi_pad_ng.pk).update(num_in_stock=1, num_allocated=1)
    StockRecord.objects.filter(pk=world.lagos_spark_ng.pk).update(num_in_stock=1, is_live=False)
    # Its own threshold: 9 in stock is low for this one.
    StockRecord.objects.filter(pk=world.mi_eg.pk).update(num_in_stock=9, low_stock_threshold=12)

    # Rules: Tecno's in force in NG (not Xiaomi's), Xiaomi's starting in KE in 3 days,
    # one in a month (not soon). The world has Mi's in force in NG and two next year.
    for title, brand, store, channels, starts in [
        ("Tecno Phantom", world.tecno_brand, world.tecno, [ng], now - timedelta(days=1)),
        ("Redmi Watch", world.xiaomi, world.mi, [ke], now + timedelta(days=3)),
        ("Redmi Buds", world.xiaomi, world.mi, [ng, ke], now + timedelta(days=30)),
    ]:
        product = branded(factories.product(title, structure="parent", category=world.phones), brand)
        rule = ExclusiveRule.objects.create(product=product, store=store, starts_at=starts)
        rule.channels.set(channels)

    # Payments: one failed in NG and one expired in EG, today.
    for order, option, status in [
        (tecno_order, world.card_ng, "failed"), (world.order_eg_tecno, world.card_eg, "expired"),
    ]:
        Payment.objects.create(
            order=order, option=option, provider="sandbox", method=option.method,
            amount=order.total_incl_tax, currency=order.currency, status=status,
            expires_at=now, completed_at=now,
        )
    return world


# --- what the database says, per role ---------------------------------------


def own_lines(role, world, order):
    lines = list(order.lines.select_related("partner"))
    if role == "seller":
        return [line for line in lines if line.partner_id == world.lagos.pk]
    if role == "brand":
        return [line for line in lines if line.partner.brand_id == world.xiaomi.pk]
    return lines


def reaches(role, world, order):
    if role == "superuser":
        return True
    if role == "channel":
        return order.channel_id == world.ng.pk
    return bool(own_lines(role, world, order))


def revenue_of(role, world, order):
    if role in ("superuser", "channel"):
        return order.total_incl_tax
    return sum((line.line_price_incl_tax for line in own_lines(role, world, order)), Decimal(0))


def in_period(moment, channel, now, which):
    local, today = timezone.localtime(moment, channel.tzinfo).date(), timezone.localtime(now, channel.tzinfo).date()
    if which == "today":
        return local == today
    monday = today - timedelta(days=today.weekday())
    return monday <= local < monday + timedelta(days=7)


def expected_orders(role, world, channel, now, which):
    return sorted(
        order.number for order in Order.objects.filter(channel=channel)
        if reaches(role, world, order) and order.status != "Cancelled"
        and in_period(order.date_placed, channel, now, which)
    )


def expected_revenue(role, world, channel, now, which):
    return sum((
        revenue_of(role, world, order) for order in Order.objects.filter(channel=channel)
        if reaches(role, world, order) and order.status != "Cancelled"
        and in_period(order.date_placed, channel, now, which)
    ), Decimal(0))


def expected_waiting(role, world, channel, status):
    return sum(
        1 for order in Order.objects.filter(channel=channel, status=status)
        if reaches(role, world, order)
    )


def listing_in_scope(role, world, listing):
    return {
        "superuser": True,
        "channel": listing.channel_id == world.ng.pk,
        "seller": listing.partner_id == world.lagos.pk,
        "brand": listing.partner.brand_id == world.xiaomi.pk,
    }[role]


def expected_stock(role, world, channel):
    low = out = 0
    for listing in StockRecord.objects.filter(channel=channel, is_live=True).select_related("partner"):
        if listing_in_scope(role, world, listing):
            status = display.stock_status(listing)
            low += status == "low"
            out += status == "out"
    return low, out


def expected_rules(role, world, channel, now):
    in_force = starting = 0
    for rule in ExclusiveRule.objects.filter(channels=channel).select_related("store"):
        if role == "brand" and rule.store.brand_id != world.xiaomi.pk:
            continue
        if role == "channel" and not rule.channels.filter(pk=world.ng.pk).exists():
            continue
        if rule.starts_at <= now and (rule.ends_at is None or rule.ends_at > now):
            in_force += 1
        elif now < rule.starts_at <= now + timedelta(days=7):
            starting += 1
    return in_force, starting


def expected_channels(role, world, launch_channels):
    return {
        "superuser": set(launch_channels),
        "channel": {"ng"},
        "seller": {"ng"},
        "brand": {"ng", "eg", "ke"},  # where Mi Official Store sells
    }[role]


# --- reading the page ----------------------------------------------------------


def figures(response) -> dict:
    """channel code -> figure key -> Figure, or (today, week) for the period rows."""
    found = {}
    for home in response.context["channel_homes"]:
        row_figures = {row.key: (row.today, row.week) for row in home.rows}
        for section in home.sections:
            row_figures.update({item.key: item.figure for item in section.items})
        found[home.channel.code] = row_figures
    return found


def home_page(client, language="en"):
    client.cookies["django_language"] = language
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


# --- the tests -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_orders_and_revenue_are_the_roles_own_in_each_channel(busy, as_role, launch_channels, role):
    world = busy
    now = timezone.now()
    found = figures(home_page(as_role(role)))
    assert set(found) == expected_channels(role, world, launch_channels)
    for code, channel_figures in found.items():
        channel = launch_channels[code]
        today, week = channel_figures["orders"]
        assert today.value == len(expected_orders(role, world, channel, now, "today")), code
        assert week.value == len(expected_orders(role, world, channel, now, "week")), code
        today, week = channel_figures["revenue"]
        assert today.value == display.money(expected_revenue(role, world, channel, now, "today"), channel)
        assert week.value == display.money(expected_revenue(role, world, channel, now, "week"), channel)

    # The same, spelt out for Nigeria today: foreign brands', sellers' and
    # countries' orders, a cancelled one and yesterday's are not counted.
    ng_today = {
        "superuser": (["NG-1001", "NG-1003", "NG-1005", "NG-2001"], "690500"),
        "channel": (["NG-1001", "NG-1003", "NG-1005", "NG-2001"], "690500"),
        "seller": (["NG-1003", "NG-1005"], "268000"),  # its lines only
        "brand": (["NG-1001", "NG-1005"], "300000"),  # Mi's lines only, not Tecno's order
    }[role]
    assert expected_orders(role, world, world.ng, now, "today") == ng_today[0]
    assert found["ng"]["orders"][0].value == len(ng_today[0])
    assert found["ng"]["revenue"][0].value == display.money(Decimal(ng_today[1]), world.ng)
    if role != "superuser":
        assert "ci" not in found and ("eg" not in found or role == "brand")


@pytest.mark.parametrize("role", ROLES)
def test_what_waits_is_counted_in_the_roles_scope(busy, as_role, launch_channels, role):
    world = busy
    now = timezone.now()
    found = figures(home_page(as_role(role)))
    for code, channel_figures in found.items():
        channel = launch_channels[code]
        for status in ("Pending", "Paid", "Processing"):
            assert channel_figures[f"waiting:{status}"].value == expected_waiting(role, world, channel, status)
        low, out = expected_stock(role, world, channel)
        assert (channel_figures["low_stock"].value, channel_figures["out_of_stock"].value) == (low, out), code
        if "rules" in SECTIONS[role]:
            in_force, starting = expected_rules(role, world, channel, now)
            assert channel_figures["rules_in_force"].value == in_force, code
            assert channel_figures["rules_starting"].value == starting, code
        else:
            assert "rules_in_force" not in channel_figures
        if "payments" in SECTIONS[role]:
            failed = Payment.objects.filter(order__channel=channel, status__in=["failed", "expired"])
            if role == "channel":
                failed = failed.filter(order__channel=world.ng)
            assert channel_figures["failed_payments"][0].value == failed.count(), code
        else:
            assert "failed_payments" not in channel_figures

    # Spelt out for Nigeria.
    ng = found["ng"]
    assert {
        "superuser": (4, 1, 2, 1), "channel": (4, 1, 2, 1), "seller": (1, 1, 1, 0), "brand": (3, 0, 0, 1),
    }[role] == (ng["waiting:Pending"].value, ng["waiting:Paid"].value, ng["low_stock"].value,
                ng["out_of_stock"].value)
    if role == "brand":
        assert (ng["rules_in_force"].value, found["ke"]["rules_starting"].value) == (1, 1)
        assert found["eg"]["low_stock"].value == 1  # its own threshold of 12
    if role == "channel":
        assert (ng["rules_in_force"].value, ng["failed_payments"][0].value) == (2, 1)


def _count_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "cl" in response.context, f"{url}: not a change list (redirected to ?e=1?)"
    return response.context["cl"]


@pytest.mark.parametrize("role", ROLES)
def test_every_figure_links_to_a_change_list_of_the_same_rows(busy, as_role, launch_channels, role):
    world = busy
    now = timezone.now()
    client = as_role(role)
    found = figures(home_page(client))
    for code, channel_figures in found.items():
        channel = launch_channels[code]
        for key, figure in channel_figures.items():
            pairs = zip(("today", "week"), figure, strict=True) if isinstance(figure, tuple) else [(None, figure)]
            for which, one in pairs:
                changelist = _count_on(client, one.url)
                if key in ("orders", "revenue"):
                    numbers = sorted(order.number for order in changelist.queryset)
                    assert numbers == expected_orders(role, world, channel, now, which), (code, key, which)
                else:
                    assert changelist.result_count == one.value, (code, key, which, one.url)
                # Never more than the role may see: the list is the scoped admin's.
                scoped = changelist.model_admin.get_queryset(_request_of(role, world))
                assert set(changelist.queryset.values_list("pk", flat=True)) <= set(
                    scoped.values_list("pk", flat=True)
                )


def _request_of(role, world):
    request = RequestFactory().get("/admin/")
    request.user = world.users[role]
    return request


def test_today_and_this_week_start_at_the_channels_midnight_and_monday(busy):
    world = busy
    ng, ke = world.ng, world.ke
    # Monday 30 November 2026, 00:20 in Lagos (UTC+1), 02:20 in Nairobi (UTC+3).
    now = datetime(2026, 11, 29, 23, 20, tzinfo=UTC)
    Order.objects.update(date_placed=now - timedelta(days=20))
    sunday_late_lagos = make_order("NG-3001", ng, [world.mi_ng])  # Sunday 23:30 in Lagos
    monday_early_lagos = make_order("NG-3002", ng, [world.mi_pad_ng])  # Monday 00:10 in Lagos
    monday_early_nairobi = factories.listing(world.redmi_pad, world.mi, ke, "20000")
    nairobi = make_order("KE-3003", ke, [monday_early_nairobi])  # the Sunday 22:30 of Lagos
    for order, moment in [
        (sunday_late_lagos, datetime(2026, 11, 29, 22, 30, tzinfo=UTC)),
        (monday_early_lagos, datetime(2026, 11, 29, 23, 10, tzinfo=UTC)),
        (nairobi, datetime(2026, 11, 29, 21, 30, tzinfo=UTC)),
    ]:
        Order.objects.filter(pk=order.pk).update(date_placed=moment)

    request = _request_of("superuser", world)
    with translation.override("en"):
        homes = {home.channel.code: home for home in channel_homes(request, admin.site, now=now)}
    rows = {code: {row.key: row for row in home.rows} for code, home in homes.items()}
    # In Lagos only Monday 00:10 is today and this week; Sunday 23:30 is last week's.
    assert rows["ng"]["orders"].today.value == 1
    assert rows["ng"]["orders"].week.value == 1
    assert rows["ng"]["revenue"].today.value == display.money(Decimal("250000.00"), ng)
    # 21:30 UTC is Monday 00:30 in Nairobi: today there.
    assert rows["ke"]["orders"].today.value == 1
    assert rows["ke"]["orders"].week.value == 1
    # The links ask for the same local days, written in UTC.
    assert "date_placed__gte=2026-11-29T23%3A00%3A00%2B00%3A00" in rows["ng"]["orders"].today.url
    assert "date_placed__gte=2026-11-29T21%3A00%3A00%2B00%3A00" in rows["ke"]["orders"].today.url


@pytest.mark.parametrize(
    ("language", "ngn_decimals"), [("en", ".00"), ("fr", ",00"), ("ar", None)],
)
def test_revenue_is_in_each_channels_currency_and_precision(busy, as_role, launch_channels, language, ngn_decimals):
    found = figures(home_page(as_role("superuser"), language))
    ci, ng = launch_channels["ci"], launch_channels["ng"]
    xof = found["ci"]["revenue"][0].value
    assert xof == format_money(Decimal("15000"), "XOF", language, "CI")
    # Francs CFA have no minor unit: no decimals at all.
    assert not re.search(r"\d[.,٫]\d{2}(?!\d)", xof), xof
    assert found["ng"]["revenue"][0].value == format_money(Decimal("690500"), "NGN", language, "NG")
    if ngn_decimals:
        assert ngn_decimals in found["ng"]["revenue"][0].value
    with translation.override(language):
        assert xof == display.money(Decimal("15000"), ci)
        assert found["ng"]["revenue"][0].value == display.money(Decimal("690500"), ng)


class _Texts(HTMLParser):
    """Text of the home's labels (headers, captions, notes), not its figures or country names."""

    LABELS = {"th", "caption", "p"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts, self.inside = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag == "section" and ("class", "role-home") in attrs:
            self.inside = True
        if tag == "h2" and ("id", "role-home-title") in attrs:
            tag = "p"
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "section":
            self.inside = False
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = data.strip()
        if self.inside and text and self.stack and self.stack[-1] in self.LABELS and not re.search(r"\d", text):
            self.texts.append(text)


def label_texts(response) -> set[str]:
    parser = _Texts()
    parser.feed(response.content.decode())
    return set(parser.texts)


@pytest.mark.parametrize("role", ["superuser", "seller"])
@pytest.mark.parametrize("language", ["fr", "ar", "sw"])
def test_the_home_is_translated(busy, as_role, role, language):
    client = as_role(role)
    english = label_texts(home_page(client, "en"))
    assert {"Your day", "Today", "This week", "Orders", "Low stock"} <= english
    response = home_page(client, language)
    translated = label_texts(response)
    assert translated, "the home shows no labels"
    assert not english & translated, f"left in English in {language}: {sorted(english & translated)}"
    if language == "ar":
        assert re.search(r'<html[^>]*dir="rtl"', response.content.decode())
    # Django's list of apps is still there, below.
    assert 'id="content-main"' in response.content.decode()


def _more_of_everything(world, launch_channels, n):
    """``n`` more orders (with lines, payments), listings and rules, across channels."""
    channels = [world.ng, world.eg, launch_channels["ke"]]
    listings = {world.ng.pk: world.lagos_ng, world.eg.pk: world.cairo_eg}
    for i in range(n):
        channel = channels[i % len(channels)]
        listing = listings.get(channel.pk) or factories.listing(
            factories.product(f"Extra {i}"), world.mi, channel, "1000", stock=i % 4,
        )
        order = make_order(f"X-{n}-{i}", channel, [listing, world.mi_ng] if channel == world.ng else [listing])
        option = world.card_ng if channel == world.ng else world.card_eg
        if channel != launch_channels["ke"]:
            Payment.objects.create(
                order=order, option=option, provider="sandbox", method=option.method,
                amount=order.total_incl_tax, currency=order.currency, status="failed",
                expires_at=timezone.now(), completed_at=timezone.now(),
            )
        rule = ExclusiveRule.objects.create(
            product=branded(factories.product(f"Rule {n}-{i}", structure="parent"), world.xiaomi),
            store=world.mi, starts_at=timezone.now() + timedelta(days=i % 9),
        )
        rule.channels.set([channel])


# The admin index, whatever the number of orders, listings, rules and payments:
# the user (1; the session comes from the shared cache), the user's memberships (1, not
# for a superuser), channels (1), orders (1), listings (1), rules in force and starting
# soon (2, not for a seller), failed payments (1, operators and superusers), the brand's
# partner shops (1, brand managers; with shops, two more: test_brand_partner_sales.py) and
# Django's recent actions (1).
HOME_QUERIES = {"superuser": 8, "channel": 9, "brand": 9, "seller": 6}


@pytest.mark.parametrize("role", ROLES)
def test_the_home_takes_a_constant_number_of_queries(busy, as_role, launch_channels, role, django_assert_num_queries):
    client = as_role(role)
    home_page(client)  # warm: content types, translations
    with CaptureQueriesContext(connection) as few:
        before = figures(home_page(client))["ng"]["orders"][1].value
    _more_of_everything(busy, launch_channels, 12)
    with django_assert_num_queries(HOME_QUERIES[role]):
        after = figures(home_page(client))["ng"]["orders"][1].value
    assert len(few) == HOME_QUERIES[role], [q["sql"][:120] for q in few.captured_queries]
    assert after > before  # the new orders were counted, by the same queries


def test_a_staff_user_without_memberships_is_told_there_is_nothing_to_follow(world, client):
    from .conftest import make_user

    client.force_login(make_user("new.colleague"))
    response = home_page(client, "fr")
    assert response.context["channel_homes"] == []
    html = response.content.decode()
    assert "Vous n’êtes encore membre d’aucune marque" in html
    assert 'class="module role-home-channel"' not in html


def test_a_rule_covering_other_channels_adds_no_card_of_theirs(busy, as_role, launch_channels):
    # An NG operator sees a rule that covers NG and CI (it is theirs in part): CI's
    # figures are no business of theirs, and no CI card appears.
    world = busy
    product = branded(factories.product("Redmi Pad", structure="parent", category=world.phones), world.xiaomi)
    rule = ExclusiveRule.objects.create(
        product=product, store=world.mi, starts_at=timezone.now() + timedelta(days=2),
    )
    rule.channels.set([world.ng, launch_channels["ci"]])
    found = figures(home_page(as_role("channel")))
    assert set(found) == {"ng"}

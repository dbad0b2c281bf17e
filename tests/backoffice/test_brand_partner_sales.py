"""
A brand manager's sales through the brand's partner shops, on the back-office home
(issue 12 item 7).

Only the lines of the brand's products in orders of the brand's partner shops count:
another brand's line in the same order never does, nor a declined, expired or
cancelled shop order, an add-on (extended warranty) line, a shop that is not the
brand's partner, or an order placed outside the channel's day or week (its own time
zone). Each figure links to the shops' orders list holding exactly the orders counted.
The expected figures are computed here in Python from the rows themselves.
"""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.backoffice import display
from marketplace.order.models import Line, Order
from marketplace.retail.models import RetailOrder
from tests import factories
from tests.retail.conftest import make_shop

from .conftest import make_order
from .test_dashboard import _local_midnight, figures, home_page, in_period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday_in_lagos")]

SELLING = {"new", "accepted", "out", "delivered"}


def shop_order(number, shop, listings, *, status=RetailOrder.NEW):
    order = make_order(number, shop.channel, listings)
    RetailOrder.objects.create(
        order=order, retailer=shop, status=status, answer_by=timezone.now() + timedelta(minutes=30),
        delivery_code="123456",
    )
    return order


@pytest.fixture
def sales(retail_world):
    """The partner-shop world plus shop orders each brand must count, or leave out."""
    world = retail_world
    ng, eg, o = world.ng, world.eg, world.objects
    now = timezone.now()
    # A Lagos shop that is a partner of both Xiaomi and Tecno: one order holds two
    # Redmi (Xiaomi), a Spark (Tecno) and a Redmi Note variant (Xiaomi by its parent).
    surulere = make_shop(ng, "Surulere Phones", district="Surulere", offset=(0.02, 0.02),
                         brands=[o["xiaomi"], o["tecno_brand"]])
    redmi_s = factories.listing(o["redmi"], surulere.partner, ng, "147000.00")
    spark_s = factories.listing(o["spark"], surulere.partner, ng, "118000.00")
    note_s = factories.listing(o["note_variant"], surulere.partner, ng, "290000.00")
    mixed = shop_order("NG-9201", surulere, [redmi_s, spark_s, note_s], status=RetailOrder.ACCEPTED)
    mixed.lines.filter(stockrecord=redmi_s).update(quantity=2, line_price_incl_tax=Decimal("294000.00"))
    # An extended warranty bought with the Redmi: an add-on, not a unit of the brand.
    redmi_line = mixed.lines.get(stockrecord=redmi_s)
    Line.objects.create(
        order=mixed, partner=redmi_line.partner, partner_name=redmi_line.partner_name,
        partner_sku=redmi_line.partner_sku, stockrecord=redmi_s, product=redmi_line.product,
        title="Care", quantity=1, parent_line=redmi_line, line_price_incl_tax=Decimal("5000.00"),
        line_price_excl_tax=Decimal("5000.00"), line_price_before_discounts_incl_tax=Decimal("5000.00"),
        line_price_before_discounts_excl_tax=Decimal("5000.00"), num_allocated=0,
    )
    ikeja = o["shop_listing_ng"]  # Ikeja Phones' Redmi at 148 000 (NG-9101 is one, new)
    # Declined by the shop (the order itself left as it was), expired, and a cancelled order.
    shop_order("NG-9202", world.shop_ng, [ikeja], status=RetailOrder.DECLINED)
    shop_order("NG-9203", world.shop_ng, [ikeja], status=RetailOrder.EXPIRED)
    cancelled = shop_order("NG-9204", world.shop_ng, [ikeja], status=RetailOrder.ACCEPTED)
    Order.objects.filter(pk=cancelled.pk).update(status="Cancelled")
    # Half an hour before Lagos's midnight (yesterday there), and ten minutes after it
    # (today in Lagos, though still yesterday in UTC).
    midnight = _local_midnight(ng, now)
    for number, moment in (("NG-9205", midnight - timedelta(minutes=30)),
                           ("NG-9206", midnight + timedelta(minutes=10))):
        order = shop_order(number, world.shop_ng, [ikeja], status=RetailOrder.DELIVERED)
        Order.objects.filter(pk=order.pk).update(date_placed=moment)
    # Egypt: a Xiaomi partner shop in Cairo (in pounds), and a Redmi sold by a Tecno-only
    # shop (not Xiaomi's network, and no Tecno product).
    heliopolis = make_shop(eg, "Heliopolis Phones", city="Cairo", brands=[o["xiaomi"]],
                           phone="+201001234568", districts=())
    shop_order("EG-9207", heliopolis, [factories.listing(o["redmi"], heliopolis.partner, eg, "3900.00")])
    shop_order("EG-9208", world.shop_eg, [factories.listing(o["redmi"], world.shop_eg.partner, eg, "3800.00")])
    o.update(surulere=surulere, heliopolis=heliopolis)
    return world


def brand_lines(world, brand, order):
    """The brand's product lines of a shop order of one of its partner shops, still selling."""
    retail = getattr(order, "retail", None)
    if retail is None or order.status == "Cancelled" or retail.status not in SELLING:
        return []
    if not retail.retailer.brands.filter(pk=brand.pk).exists():
        return []
    found = []
    for line in order.lines.select_related("product__parent"):
        product = line.product.parent or line.product
        if line.parent_line_id is None and product.brand_link.brand_id == brand.pk:
            found.append(line)
    return found


def expected(world, brand, channel, which, shop=None):
    now = timezone.now()
    numbers, amount, units = [], Decimal(0), 0
    for order in Order.objects.filter(channel=channel).order_by("number"):
        lines = brand_lines(world, brand, order)
        if not lines or not in_period(order.date_placed, channel, now, which):
            continue
        if shop is not None and order.retail.retailer_id != shop.pk:
            continue
        numbers.append(order.number)
        amount += sum((line.line_price_incl_tax for line in lines), Decimal(0))
        units += sum(line.quantity for line in lines)
    return numbers, amount, units


def test_each_brand_counts_only_its_own_lines_in_its_partner_shops(sales, as_role):
    world = sales
    found = figures(home_page(as_role("brand")))
    ng = found["ng"]
    # Spelt out: NG-9101 (148 000), NG-9201's two Redmi and the Note (584 000, not the
    # Spark nor the warranty), NG-9206 (148 000, after Lagos's midnight).
    assert expected(world, world.xiaomi, world.ng, "today") == (
        ["NG-9101", "NG-9201", "NG-9206"], Decimal("880000.00"), 5,
    )
    assert ng["brand_shop_sales"][0].value == display.money(Decimal("880000.00"), world.ng)
    assert ng["brand_shop_units"][0].value == 5
    for code, channel in (("ng", world.ng), ("eg", world.eg)):
        for index, which in enumerate(("today", "week")):
            _, amount, units = expected(world, world.xiaomi, channel, which)
            assert found[code]["brand_shop_sales"][index].value == display.money(amount, channel), (code, which)
            assert found[code]["brand_shop_units"][index].value == units, (code, which)
    # Egypt, in its currency: Heliopolis's Redmi, not the Tecno-only shop's.
    assert found["eg"]["brand_shop_sales"][0].value == display.money(Decimal("3900.00"), world.eg)
    # No partner shop of Xiaomi in Kenya: no row there.
    assert "brand_shop_sales" not in found["ke"]

    # Tecno's manager: only the Spark of the mixed order in Nigeria, Zamalek's Spark in Egypt.
    tecno = figures(home_page(as_role("tecno_manager")))
    assert tecno["ng"]["brand_shop_sales"][0].value == display.money(Decimal("118000.00"), world.ng)
    assert tecno["ng"]["brand_shop_units"][0].value == 1
    assert tecno["eg"]["brand_shop_sales"][0].value == display.money(Decimal("3300.00"), world.eg)


def test_top_partner_shops_of_the_week(sales, as_role):
    world = sales
    ng = figures(home_page(as_role("brand")))["ng"]
    tops = [(key, figure) for key, figure in ng.items() if key.startswith("top_shop:")]
    shops = [world.surulere, world.shop_ng]
    assert [key for key, _ in tops] == [f"top_shop:{shop.pk}" for shop in shops]
    for (_, figure), shop in zip(tops, shops, strict=True):
        assert figure.value == display.money(expected(world, world.xiaomi, world.ng, "week", shop)[1], world.ng)


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "cl" in response.context, f"{url}: not a change list (redirected to ?e=1?)"
    return sorted(retail.order.number for retail in response.context["cl"].queryset)


def test_every_sales_figure_links_to_the_orders_it_counts(sales, as_role):
    world = sales
    client = as_role("brand")
    found = figures(home_page(client))
    for code, channel in (("ng", world.ng), ("eg", world.eg)):
        for key in ("brand_shop_sales", "brand_shop_units"):
            for figure, which in zip(found[code][key], ("today", "week"), strict=True):
                query = parse_qs(urlsplit(figure.url).query)
                assert query["retailer__channel__exact"] == [str(channel.pk)]
                assert query["brand_sales"] == ["yes"]
                assert _listed(client, figure.url) == expected(world, world.xiaomi, channel, which)[0], (code, which)
    for shop in (world.surulere, world.shop_ng):
        url = found["ng"][f"top_shop:{shop.pk}"].url
        assert _listed(client, url) == expected(world, world.xiaomi, world.ng, "week", shop)[0]
    # Tecno's link lists only the order holding its Spark.
    tecno = figures(home_page(as_role("tecno_manager")))
    assert _listed(as_role("tecno_manager"), tecno["ng"]["brand_shop_sales"][0].url) == ["NG-9201"]


@pytest.mark.parametrize("role", ["superuser", "channel", "seller", "retailer"])
def test_other_roles_homes_have_no_brand_sales(sales, as_role, role):
    for channel_figures in figures(home_page(as_role(role))).values():
        assert not {key for key in channel_figures if key.startswith(("brand_shop_", "top_shop:"))}


# The brand manager's home (test_dashboard.HOME_QUERIES) plus the partner shops' channels,
# the sales and the week's top shops: one query each, whatever the shops and orders.
BRAND_HOME_QUERIES = 11


def test_the_brand_home_takes_a_constant_number_of_queries(sales, as_role, django_assert_num_queries):
    world = sales
    client = as_role("brand")
    home_page(client)  # warm: content types, translations
    with CaptureQueriesContext(connection) as few:
        before = figures(home_page(client))["ng"]["brand_shop_units"][1].value
    for i in range(6):
        shop = make_shop(world.ng, f"Yaba Phones {i}", district="Yaba", offset=(0.001 * i, 0.03),
                         brands=[world.xiaomi], slug=f"yaba-{i}")
        listing = factories.listing(world.redmi, shop.partner, world.ng, "146000.00")
        for j in range(2):
            shop_order(f"NG-95{i}{j}", shop, [listing, world.shop_listing_ng])
    with django_assert_num_queries(BRAND_HOME_QUERIES):
        after = figures(home_page(client))["ng"]["brand_shop_units"][1].value
    assert len(few) == BRAND_HOME_QUERIES, [q["sql"][:120] for q in few.captured_queries]
    assert after == before + 24  # two Redmi in each of the twelve new orders


@pytest.mark.parametrize(("language", "label", "top", "filter_title"), [
    ("fr", "Ventes de votre marque par les boutiques partenaires", "Meilleures boutiques partenaires cette semaine",
     "ventes de votre marque"),
    ("ar", "مبيعات المتاجر الشريكة من علامتك التجارية", "أفضل المتاجر الشريكة هذا الأسبوع",
     "مبيعات علامتك التجارية"),
    ("sw", "Mauzo ya chapa yako kupitia maduka washirika", "Maduka washirika bora wiki hii",
     "mauzo ya chapa yako"),
])
def test_the_brand_sales_are_translated(sales, as_role, language, label, top, filter_title):
    client = as_role("brand")
    response = home_page(client, language)
    ng = next(home for home in response.context["channel_homes"] if home.channel.code == "ng")
    assert {row.key: str(row.label) for row in ng.rows}["brand_shop_sales"] == label
    assert top in {str(section.title) for section in ng.sections}
    # The list it links to offers the filter, translated too.
    listed = client.get(next(row for row in ng.rows if row.key == "brand_shop_sales").week.url)
    assert listed.status_code == 200
    assert filter_title in listed.content.decode()


def test_a_tampered_link_is_refused_or_ignored_never_a_500(sales, as_role):
    client = as_role("brand")
    base = "/admin/retail/retailorder/"
    # Not a date: Django's "invalid filter" redirect, nothing listed.
    response = client.get(base + "?brand_sales=yes&order__date_placed__gte=yesterday")
    assert response.status_code == 302 and "e=1" in response["Location"]
    # Another value of the filter is no filter: the brand's partner shops' orders as before.
    assert _listed(client, base + "?brand_sales=maybe") == _listed(client, base)
    # Other lookups on the order stay closed to a brand (it sees only part of it).
    assert client.get(base + "?order__guest_email__startswith=N").status_code in (302, 400)
    # An operator has no brand: the parameter filters nothing for them.
    operator = as_role("channel")
    assert _listed(operator, base + "?brand_sales=yes") == _listed(operator, base)

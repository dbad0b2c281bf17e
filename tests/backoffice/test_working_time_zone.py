"""
The back office's dates follow the channel a user works in (issue 15 item 2).

Django's date hierarchy, its dates in lists and forms, and the header's label use the
working time zone: the channel's, for a user whose memberships all lie in one channel;
UTC for everyone else. An order placed at 23:30 UTC on 14 March was placed on 15 March
in Nairobi (UTC+3) and in Lagos (UTC+1).
"""

from datetime import UTC, datetime

import pytest

from marketplace.memberships.selectors import scope_for
from marketplace.memberships.services import membership_grant
from marketplace.order.models import Order
from tests import factories

from .conftest import make_order, make_user

LATE = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
ORDERS = "/admin/order/order/"


@pytest.fixture
def late_orders(world):
    """A Kenyan and a Nigerian order placed at 23:30 UTC, and Kenya's operator."""
    ke_listing = factories.listing(world.redmi, world.mi, world.ke, "20000.00")
    ke_order = make_order("KE-2001", world.ke, [ke_listing])
    ng_order = make_order("NG-2002", world.ng, [world.lagos_ng])
    Order.objects.filter(pk__in=[ke_order.pk, ng_order.pk]).update(date_placed=LATE)
    operator = make_user("ke.operator")
    membership_grant(user=operator, channel=world.ke)
    world.users["ke_operator"] = operator
    return world


def numbers_on_day(client, day, month=3):
    response = client.get(
        ORDERS, {"date_placed__year": 2026, "date_placed__month": month, "date_placed__day": day}
    )
    assert response.status_code == 200
    return {order.number for order in response.context["cl"].result_list}


def test_a_country_operators_date_hierarchy_days_are_the_countrys(late_orders, client):
    client.force_login(late_orders.users["ke_operator"])

    assert "KE-2001" in numbers_on_day(client, 15)
    assert "KE-2001" not in numbers_on_day(client, 14)
    # The hierarchy's own links name the local day.
    month = client.get(ORDERS, {"date_placed__year": 2026, "date_placed__month": 3}).content.decode()
    assert "date_placed__day=15" in month and "date_placed__day=14" not in month


def test_a_seller_in_one_country_works_in_its_time(late_orders, as_role):
    client = as_role("seller")  # Lagos Gadgets Hub sells only in Nigeria (UTC+1)

    assert "NG-2002" in numbers_on_day(client, 15)
    assert "NG-2002" not in numbers_on_day(client, 14)


@pytest.mark.parametrize("role", ["superuser", "brand"])
def test_users_across_countries_work_in_utc(late_orders, as_role, role):
    # Xiaomi's stores sell in Nigeria, Egypt and Kenya: no one country's day is theirs.
    client = as_role(role)

    assert "KE-2001" in numbers_on_day(client, 14)
    assert "KE-2001" not in numbers_on_day(client, 15)
    assert 'id="admin-time-zone"' in (page := client.get(ORDERS).content.decode())
    assert "Times: UTC" in page


def test_the_header_names_the_working_time_zone_in_the_admins_language(late_orders, client):
    client.force_login(late_orders.users["ke_operator"])

    assert "Times: Kenya Time (GMT+03:00)" in client.get(ORDERS).content.decode()
    client.cookies["django_language"] = "ar"
    arabic = client.get(ORDERS).content.decode()
    assert "توقيت كينيا" in arabic and "Times:" not in arabic


def test_dates_on_an_operators_order_page_are_local(late_orders, client):
    client.force_login(late_orders.users["ke_operator"])
    order = Order.objects.get(number="KE-2001")

    page = client.get(f"{ORDERS}{order.pk}/change/").content.decode()

    assert "Mar 15, 2026" in page and "Mar 14, 2026" not in page


def test_the_working_channel_is_the_one_all_memberships_lie_in(late_orders):
    world = late_orders
    assert scope_for(world.users["channel"]).only_channel_id == world.ng.pk
    assert scope_for(world.users["seller"]).only_channel_id == world.ng.pk
    assert scope_for(world.users["cairo_seller"]).only_channel_id == world.eg.pk
    assert scope_for(world.users["brand"]).only_channel_id is None
    assert scope_for(world.users["superuser"]).only_channel_id is None

    both = make_user("ng.operator.and.seller")
    membership_grant(user=both, channel=world.ng)
    membership_grant(user=both, seller=world.lagos)
    assert scope_for(both).only_channel_id == world.ng.pk
    membership_grant(user=both, channel=world.eg)
    assert scope_for(both).only_channel_id is None

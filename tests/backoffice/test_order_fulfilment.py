"""What fulfilment needs on an order's page, in the channel's time, and sellers moving their own lines on."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from marketplace.backoffice import periods
from marketplace.backoffice.dates import local_datetime
from marketplace.backoffice.models import AuditEntry
from marketplace.delivery.models import DeliveryOption
from marketplace.order import line_statuses, statuses
from marketplace.order.models import Line
from marketplace.payments.models import PaymentStatus
from marketplace.shipping.selectors import parse_code

ORDERS = "/admin/order/order/"


def page(order):
    return f"{ORDERS}{order.pk}/change/"


# --- rules (no database) ----------------------------------------------------------


def test_a_seller_moves_a_line_one_step_forward_while_the_order_is_to_prepare():
    assert line_statuses.seller_moves("", statuses.PENDING) == (line_statuses.ACCEPTED,)
    assert line_statuses.seller_moves(line_statuses.ACCEPTED, statuses.PAID) == (line_statuses.PACKED,)
    assert line_statuses.seller_moves(line_statuses.PACKED, statuses.PROCESSING) == (line_statuses.SHIPPED,)
    assert line_statuses.seller_moves(line_statuses.SHIPPED, statuses.PROCESSING) == ()
    for waiting in (statuses.AWAITING_PAYMENT, statuses.CANCELLED, statuses.DELIVERED):
        assert line_statuses.seller_moves("", waiting) == ()
    with pytest.raises(line_statuses.LineMoveRefused):
        line_statuses.check_move("", line_statuses.SHIPPED, statuses.PENDING)


def test_a_shipping_code_names_its_option_and_station():
    assert parse_code("pickup-3-7") == ("pickup", 3, 7)
    assert parse_code("home-4") == ("home", 4, None)
    assert parse_code("") == ("", None, None)
    assert parse_code("pickup-x-\x00") == ("pickup", None, None)


# --- the order's page ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_operator_reads_contact_pickup_station_payment_and_local_time(world, as_role):
    order = world.order_ng_lagos
    pickup = DeliveryOption.objects.create(
        channel=world.ng, kind=DeliveryOption.PICKUP, name="Pickup station", price=Decimal("500"),
    )
    order.shipping_code = f"pickup-{pickup.pk}-{world.ikeja.pk}"
    order.date_placed = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Lagos
    order.save()

    content = as_role("channel").get(page(order)).content.decode()

    assert "+2348031234567" in content
    assert "Lagos station" in content and "1 Main Road, Lagos" in content and "8-18" in content
    assert "Card" in content and str(PaymentStatus.PENDING.label) in content
    assert "Mar 2, 2026, 12:30:00\u202fAM (Nigeria Time)" in content


@pytest.mark.django_db
def test_a_pay_on_delivery_order_says_so_and_dates_follow_the_admins_language(world, as_role):
    client = as_role("channel")
    order = world.order_shared
    order.date_placed = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    order.save()
    client.cookies["django_language"] = "fr"

    content = client.get(page(order)).content.decode()

    assert "2 mars 2026, 00:30:00 (heure : Nigeria)" in content
    assert "Chinedu" in content


@pytest.mark.django_db
def test_times_are_the_channels_whatever_the_language():
    from marketplace.channels.models import Channel

    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    cairo = Channel(timezone="Africa/Cairo")
    assert local_datetime(moment, cairo).startswith("Mar 2, 2026, 1:30:00")


@pytest.mark.django_db
def test_today_starts_at_the_channels_midnight(midday_in_lagos, world, as_role):
    # The page's "today" and this midnight are the same day: the clock runs from noon.
    midnight = periods.today(world.ng.tzinfo, timezone.now()).start
    today, yesterday = world.order_ng_lagos, world.order_ng_mi
    today.date_placed = midnight + timedelta(minutes=1)
    today.save()
    yesterday.date_placed = midnight - timedelta(minutes=1)  # today already in UTC
    yesterday.save()

    content = as_role("channel").get(ORDERS + "?date_placed_in=today").content.decode()

    assert today.number in content
    assert yesterday.number not in content


# --- sellers move their own lines ------------------------------------------------------


def act(client, action, orders):
    return client.post(ORDERS, {"action": action, "_selected_action": [o.pk for o in orders]}, follow=True)


@pytest.mark.django_db
def test_a_seller_accepts_packs_and_ships_only_its_own_lines(world, as_role):
    client = as_role("seller")
    shared = world.order_shared
    own = Line.objects.get(order=shared, partner=world.lagos)
    other = Line.objects.get(order=shared, partner=world.mi)

    response = act(client, "accept_own_lines", [shared])

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (line_statuses.ACCEPTED, "")
    assert "1 line marked Accepted." in response.content.decode()
    entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Line), object_id=str(own.pk))
    assert entry.changes == {"status": ["", line_statuses.ACCEPTED]}
    assert (entry.actor, entry.seller_id, entry.channel_id) == (world.users["seller"], world.lagos.pk, world.ng.pk)

    response = act(client, "ship_own_lines", [shared])  # not packed yet
    own.refresh_from_db()
    assert own.status == line_statuses.ACCEPTED
    assert "cannot be marked Shipped" in response.content.decode()

    act(client, "pack_own_lines", [shared])
    act(client, "ship_own_lines", [shared])
    own.refresh_from_db()
    assert own.status == line_statuses.SHIPPED
    assert "Shipped" in client.get(page(shared)).content.decode()


@pytest.mark.django_db
def test_a_seller_cannot_move_lines_of_an_order_it_has_no_part_in_or_a_cancelled_one(world, as_role):
    client = as_role("seller")
    # (the order also has a warranty line tied to it: tests/backoffice/conftest.py)
    foreign_line = Line.objects.get(order=world.order_ng_mi, parent_line__isnull=True)
    cancelled = world.order_ng_lagos
    cancelled.status = statuses.CANCELLED
    cancelled.save()

    act(client, "accept_own_lines", [world.order_ng_mi, cancelled])

    foreign_line.refresh_from_db()
    assert foreign_line.status == ""
    assert set(Line.objects.filter(order=cancelled).values_list("status", flat=True)) == {""}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "sees_moves", "sees_status_form"), [
    ("seller", True, False), ("brand", True, False), ("channel", False, True), ("superuser", False, True),
])
def test_each_role_sees_only_the_actions_it_may_take(world, as_role, role, sees_moves, sees_status_form):
    client = as_role(role)
    listing = client.get(ORDERS).content.decode()
    order = world.order_shared
    form = client.get(page(order)).content.decode()

    assert ('value="accept_own_lines"' in listing) is sees_moves
    assert ('value="ship_own_lines"' in listing) is sees_moves
    assert ('name="status"' in form) is sees_status_form

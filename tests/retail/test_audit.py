"""Shops, zones, the policy and shops' orders are audited like the rest of the back office
(issue 12, item 7: "scoped and audited like the rest")."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.backoffice import audit
from marketplace.backoffice.models import AuditEntry
from marketplace.retail import services
from marketplace.retail.models import RetailOrder, Zone

from .builders import place_with_shop, shop_basket

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return get_user_model().objects.create_user("ng.operator", password="x", is_staff=True)


def entries(obj):
    return list(AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
                .order_by("pk"))


def test_a_zone_set_and_changed_is_audited_in_its_channel(channel_ngn, operator):
    with audit.acting(operator):
        zone = Zone.objects.create(channel=channel_ngn, city="Lagos", status="green",
                                   starts_at=timezone.now())
        zone.status, zone.shop_pickup_allowed = "red", False
        zone.save()
    created, changed = entries(zone)
    assert created.action == AuditEntry.CREATED and created.actor == operator
    assert changed.changes["status"] == ["green", "red"]
    assert changed.changes["shop_pickup_allowed"] == [True, False]
    assert changed.channel_id == channel_ngn.pk


def test_a_shops_profile_and_its_answers_are_audited_with_the_shop_as_seller(
    lagos_shop, shop_phone, channel_ngn, operator,
):
    placed = place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone), lagos_shop)
    retail = RetailOrder.objects.get(order=placed.order)
    assert not entries(retail)  # placed by a shopper: the order is its own record
    with audit.acting(operator):
        lagos_shop.cash_on_delivery_limit = Decimal("100")
        lagos_shop.save()
        services.retail_order_accept(retail)
        with pytest.raises(services.RetailError):
            services.retail_order_deliver(retail, "000000" if retail.delivery_code != "000000" else "111111")
    [shop_change] = entries(lagos_shop)
    assert shop_change.changes["cash_on_delivery_limit"] == ["500000.00", "100"]
    assert shop_change.seller_id == lagos_shop.partner_id
    accepted, wrong_code = entries(retail)
    assert accepted.changes == {"status": ["new", "accepted"]}
    assert wrong_code.changes == {"code_tries": [0, 1]}
    assert accepted.channel_id == channel_ngn.pk and accepted.seller_id == lagos_shop.partner_id


def test_the_beat_task_is_not_an_actor(lagos_shop, shop_phone, channel_ngn):
    placed = place_with_shop(channel_ngn, shop_basket(channel_ngn, shop_phone), lagos_shop)
    services.retail_orders_expire(now=timezone.now() + datetime.timedelta(days=1))
    assert not entries(RetailOrder.objects.get(order=placed.order))

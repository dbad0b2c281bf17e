"""The demo's delivery options make sense to a shopper: express is the fastest, pickup the cheapest."""

from decimal import Decimal

import pytest

from marketplace.delivery.models import DeliveryOption
from marketplace.delivery.rules import estimate_days
from marketplace.demo.delivery import DAYS, DELIVERY


@pytest.mark.parametrize("code", sorted(DELIVERY))
def test_pickup_is_never_dearer_than_home_delivery(code):
    home, free_above, pickup, express, *_ = DELIVERY[code]
    assert Decimal(pickup) <= Decimal(home) < Decimal(express)


@pytest.mark.parametrize("from_abroad", [False, True])
def test_express_is_faster_than_home_delivery_and_pickup(from_abroad):
    def days(kind):
        return estimate_days(*DAYS[kind], from_abroad)

    express = days(DeliveryOption.EXPRESS)
    for kind in (DeliveryOption.HOME, DeliveryOption.PICKUP):
        assert express[1] < days(kind)[1] and express[0] <= days(kind)[0]

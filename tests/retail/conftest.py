"""A Nigerian partner shop in Lagos (Ikeja district) selling a phone, and its shopper."""

import datetime

import pytest

from marketplace.locator.cities import city_named
from marketplace.retail import services
from marketplace.retail.models import RetailPolicy
from tests import factories

ALL_DAY = [(day, datetime.time(0, 0), datetime.time(23, 59, 59)) for day in range(7)]


def make_shop(channel, name, *, city="Lagos", slug=None, offset=(0.0, 0.0), **kwargs):
    centre = city_named(channel.country.code, city).point
    phones = {"NG": "+2348031234567", "KE": "+254712345678", "GH": "+233241234567"}
    defaults = {
        "address": "1 Allen Avenue", "phone": phones.get(channel.country.code, "+2348031234567"),
        "radius_km": 15, "districts": ["Ikeja"], "cash_limit": "500000", "hours": ALL_DAY,
    }
    return services.retailer_create(
        channel=channel, name=name, slug=slug or name.lower().replace(" ", "-"), city=city,
        latitude=centre.latitude + offset[0], longitude=centre.longitude + offset[1],
        **{**defaults, **kwargs},
    )


@pytest.fixture
def lagos_shop(channel_ngn):
    RetailPolicy.objects.create(channel=channel_ngn, answer_within_minutes=30, delivery_code_tries=3)
    return make_shop(channel_ngn, "Ikeja Phones", district="Ikeja")


@pytest.fixture
def shop_phone(lagos_shop, channel_ngn):
    phone = factories.product("Spark 20")
    return factories.listing(phone, lagos_shop.partner, channel_ngn, "100000.00", stock=5)

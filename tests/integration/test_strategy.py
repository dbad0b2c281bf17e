"""The channel strategy picks the channel's listing, price and tax."""

from datetime import date
from decimal import Decimal

import pytest

from marketplace.channels.models import TaxComponent
from marketplace.partner.strategy import ChannelStrategy, NoChannel, Selector
from tests import factories

pytestmark = pytest.mark.django_db


def test_price_is_the_channels_listing_with_the_channels_tax(
    official_store, channel_ngn, channel_kes
):
    phone = factories.product("Redmi Note 13")
    factories.listing(phone, official_store, channel_ngn, "120837.21")
    factories.listing(phone, official_store, channel_kes, "22405.17")

    ng = ChannelStrategy(channel_ngn).fetch_for_product(phone)
    ke = ChannelStrategy(channel_kes).fetch_for_product(phone)

    assert (ng.price.currency, ng.price.excl_tax, ng.price.tax) == (
        "NGN",
        Decimal("120837.21"),
        Decimal("9062.79"),
    )
    assert ng.price.incl_tax == Decimal("129900.00")
    assert (ke.price.currency, ke.price.incl_tax) == ("KES", Decimal("25990.00"))
    assert ng.stockrecord.channel == channel_ngn


def test_xof_prices_and_tax_are_whole_francs(official_store, channel_xof):
    phone = factories.product()
    factories.listing(phone, official_store, channel_xof, "12712")

    price = ChannelStrategy(channel_xof).fetch_for_product(phone).price

    assert price.tax == Decimal("2288")
    assert price.incl_tax == Decimal("15000")
    assert price.incl_tax.as_tuple().exponent == 0


def test_ghana_adds_its_three_components(official_store, channel_ghs):
    item = factories.product()
    factories.listing(item, official_store, channel_ghs, "100.00")

    price = ChannelStrategy(channel_ghs).fetch_for_product(item).price

    assert price.tax == Decimal("20.00")
    assert price.incl_tax == Decimal("120.00")


def test_a_future_rate_change_does_not_apply_yet(official_store, channel_ngn):
    TaxComponent.objects.create(
        channel=channel_ngn, name="VAT", rate=Decimal("0.10"), starts_on=date(2999, 1, 1)
    )
    item = factories.product()
    factories.listing(item, official_store, channel_ngn, "100.00")

    assert ChannelStrategy(channel_ngn).fetch_for_product(item).price.tax == Decimal("7.50")


def test_not_sold_in_the_channel_means_no_price_and_not_buyable(
    official_store, channel_ngn, channel_egp
):
    item = factories.product()
    factories.listing(item, official_store, channel_ngn, "100.00")

    info = ChannelStrategy(channel_egp).fetch_for_product(item)

    assert info.stockrecord is None
    assert not info.price.exists
    assert not info.availability.is_available_to_buy


def test_a_listing_from_another_channel_is_never_used(official_store, channel_ngn, channel_kes):
    item = factories.product()
    ng_listing = factories.listing(item, official_store, channel_ngn, "100.00")

    info = ChannelStrategy(channel_kes).fetch_for_product(item, ng_listing)

    assert info.stockrecord is None
    assert not info.availability.is_available_to_buy


def test_official_store_first_even_when_a_seller_is_cheaper(
    official_store, third_party_seller, channel_ngn
):
    item = factories.product()
    factories.listing(item, third_party_seller, channel_ngn, "90.00")
    official = factories.listing(item, official_store, channel_ngn, "100.00")

    assert ChannelStrategy(channel_ngn).fetch_for_product(item).stockrecord == official


def test_among_other_sellers_the_cheapest_wins(third_party_seller, channel_ngn):
    other = factories.seller("Ikeja Phones", channels=[channel_ngn])
    item = factories.product()
    factories.listing(item, third_party_seller, channel_ngn, "100.00")
    cheaper = factories.listing(item, other, channel_ngn, "95.00")

    assert ChannelStrategy(channel_ngn).fetch_for_product(item).stockrecord == cheaper


def test_a_listing_that_is_not_live_is_not_offered(official_store, channel_ngn):
    item = factories.product()
    factories.listing(item, official_store, channel_ngn, "100.00", live=False)

    assert ChannelStrategy(channel_ngn).fetch_for_product(item).stockrecord is None


def test_out_of_stock_is_listed_but_not_buyable(official_store, channel_ngn):
    item = factories.product()
    factories.listing(item, official_store, channel_ngn, "100.00", stock=0)

    info = ChannelStrategy(channel_ngn).fetch_for_product(item)

    assert info.price.exists
    assert not info.availability.is_available_to_buy


def test_parent_is_priced_from_its_cheapest_buyable_variant(official_store, channel_ngn):
    parent = factories.product("Redmi Go", structure="parent")
    small = factories.product("Redmi Go 1GB+8GB", parent=parent)
    large = factories.product("Redmi Go 1GB+16GB", parent=parent)
    factories.listing(small, official_store, channel_ngn, "60000.00", stock=0)
    factories.listing(large, official_store, channel_ngn, "70000.00", stock=5)

    info = ChannelStrategy(channel_ngn).fetch_for_parent(parent)

    assert info.price.excl_tax == Decimal("70000.00")
    assert info.availability.is_available_to_buy


def test_selector_takes_a_channel_without_a_request(channel_kes):
    assert Selector().strategy(channel=channel_kes).channel == channel_kes


def test_selector_without_a_channel_sells_nothing(official_store, channel_ngn):
    item = factories.product()
    factories.listing(item, official_store, channel_ngn, "100.00")

    strategy = Selector().strategy()

    assert isinstance(strategy, NoChannel)
    assert not strategy.fetch_for_product(item).availability.is_available_to_buy


def test_listing_currency_is_its_channels(official_store, channel_xof):
    listing = factories.listing(factories.product(), official_store, channel_xof, "5000")
    assert listing.price_currency == "XOF"

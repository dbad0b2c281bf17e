"""Listings in the back office: prices in the channel's currency, stock, bad input, audit."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.backoffice.models import AuditEntry
from marketplace.partner.models import StockRecord
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/partner/stockrecord/"


def change_url(listing):
    return f"{CHANGELIST}{listing.pk}/change/"


def listing_post(listing, **overrides):
    data = {
        "partner_sku": listing.partner_sku,
        "price": str(listing.price),
        "num_in_stock": str(listing.num_in_stock),
        "low_stock_threshold": "",
        "is_live": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_post(product, partner, channel, price="1000", stock="5"):
    return {
        "product": product.pk, "partner": partner.pk, "channel": channel.pk,
        "partner_sku": f"NEW-{product.pk}-{partner.pk}-{channel.pk}", "price": price,
        "num_in_stock": stock, "is_live": "on",
    }


def entries_for(listing):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StockRecord), object_id=str(listing.pk)
    )


def test_brand_manager_changes_a_price_and_the_change_is_audited(world, as_role):
    client = as_role("brand")
    listing = world.mi_ng

    response = client.post(change_url(listing), listing_post(listing, price="155000.50"))

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.price == Decimal("155000.50")
    entry = entries_for(listing).first()
    assert entry.actor == world.users["brand"]
    assert entry.changes["price"] == ["150000.00", "155000.50"]
    assert (entry.brand_id, entry.seller_id, entry.channel_id) == (
        world.xiaomi.pk, world.mi.pk, world.ng.pk,
    )


def test_prices_are_shown_with_their_currency_and_stock_warnings(world, as_role):
    world.mi_eg.num_in_stock = 0
    world.mi_eg.save()
    world.mi_pad_ng.num_in_stock = 2
    world.mi_pad_ng.save()

    content = as_role("brand").get(CHANGELIST).content.decode()

    assert "₦150,000.00" in content
    assert "EGP" in content or "ج.م." in content
    assert "Out of stock" in content
    assert "Low stock" in content


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("1500.50", "Prices in XOF are whole amounts: 1500.50 is not."),
        ("-1500", "A price cannot be negative."),
    ],
)
def test_a_bad_price_is_refused_with_a_clear_message(world, as_role, channel_xof, price, message):
    world.mi.channels.add(channel_xof)
    listing = factories.listing(world.redmi, world.mi, channel_xof, "90000")

    response = as_role("brand").post(change_url(listing), listing_post(listing, price=price))

    assert response.status_code == 200
    assert message in response.content.decode()
    listing.refresh_from_db()
    assert listing.price == Decimal("90000")


def test_negative_stock_is_refused(world, as_role):
    listing = world.lagos_ng

    response = as_role("seller").post(change_url(listing), listing_post(listing, num_in_stock="-3"))

    assert response.status_code == 200
    assert response.context_data["adminform"].form.errors["num_in_stock"]
    listing.refresh_from_db()
    assert listing.num_in_stock == 9


def test_stock_below_what_orders_hold_is_refused(world, as_role):
    listing = world.lagos_ng
    StockRecord.objects.filter(pk=listing.pk).update(num_allocated=4)

    response = as_role("seller").post(change_url(listing), listing_post(listing, num_in_stock="3"))

    assert "Stock cannot be less than the 4 units already allocated to orders." in (
        response.content.decode()
    )


def test_a_listing_where_the_store_does_not_sell_is_refused(world, as_role):
    # The superuser may pick any channel; the rule still holds.
    response = as_role("superuser").post(
        CHANGELIST + "add/", add_post(world.redmi_pad, world.lagos, world.eg)
    )

    assert response.status_code == 200
    assert "Lagos Gadgets Hub does not sell in Egypt (EGP)." in response.content.decode()
    assert not StockRecord.objects.filter(partner=world.lagos, channel=world.eg).exists()


def test_a_brand_manager_cannot_list_in_a_country_the_store_does_not_sell_in(world, as_role):
    response = as_role("brand").post(
        CHANGELIST + "add/", add_post(world.redmi_pad, world.mi, world.gh)
    )

    assert response.status_code == 200
    assert response.context_data["adminform"].form.errors["channel"]
    assert not StockRecord.objects.filter(channel=world.gh).exists()


@pytest.mark.parametrize(
    ("role", "field", "foreign"),
    [
        ("seller", "partner", "mi"),  # another seller
        ("seller", "channel", "eg"),  # a channel the seller does not sell in
        ("brand", "partner", "lagos"),  # a seller that is not the brand's store
        ("brand", "product", "spark"),  # another brand's product
        ("channel", "partner", "cairo"),  # a seller of another country
        ("channel", "channel", "eg"),  # another country
    ],
)
def test_foreign_ids_posted_in_the_add_form_are_refused(world, as_role, role, field, foreign):
    own = {
        "seller": (world.redmi_pad, world.lagos, world.ng),
        "brand": (world.redmi_pad, world.mi, world.ng),
        "channel": (world.redmi_pad, world.lagos, world.ng),
    }[role]
    data = add_post(*own)
    data[field] = world.objects[foreign].pk
    count = StockRecord.objects.count()

    response = as_role(role).post(CHANGELIST + "add/", data)

    assert response.status_code == 200
    assert field in response.context_data["adminform"].form.errors
    assert StockRecord.objects.count() == count


def test_a_seller_adds_its_own_listing(world, as_role):
    response = as_role("seller").post(
        CHANGELIST + "add/", add_post(world.redmi_pad, world.lagos, world.ng, price="240000.00")
    )

    assert response.status_code == 302
    listing = StockRecord.objects.get(partner=world.lagos, product=world.redmi_pad)
    assert (listing.channel, listing.price_currency) == (world.ng, "NGN")
    assert entries_for(listing).get().action == AuditEntry.CREATED


def test_bulk_actions_touch_only_the_users_own_listings(world, as_role):
    response = as_role("seller").post(
        CHANGELIST,
        {"action": "take_off_sale", "_selected_action": [world.lagos_ng.pk, world.mi_ng.pk]},
    )

    assert response.status_code == 302
    world.lagos_ng.refresh_from_db()
    world.mi_ng.refresh_from_db()
    assert (world.lagos_ng.is_live, world.mi_ng.is_live) == (False, True)
    assert entries_for(world.lagos_ng).filter(changes__has_key="is_live").exists()


def test_the_csv_export_holds_only_the_users_rows(world, as_role):
    response = as_role("seller").post(
        CHANGELIST,
        {
            "action": "export_csv",
            "_selected_action": [world.lagos_ng.pk, world.mi_ng.pk, world.cairo_eg.pk],
        },
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().strip().splitlines()
    assert len(rows) == 2  # the header and the seller's own listing
    assert world.lagos_ng.partner_sku in rows[1]


def test_list_filters_offer_only_the_users_sellers_and_channels(world, as_role):
    response = as_role("channel").get(CHANGELIST)

    choices = {
        spec.title: [c["display"] for c in spec.choices(response.context_data["cl"])]
        for spec in response.context_data["cl"].filter_specs
    }
    sellers = next(v for k, v in choices.items() if str(k).lower() == "partner")
    assert "Lagos Gadgets Hub" in sellers
    assert "Cairo Phones" not in sellers
    # One channel is no choice: Django leaves the filter out rather than offer EG.
    assert all(str(world.eg) not in map(str, values) for values in choices.values())


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Les prix en XOF sont des montants entiers : 1500.50 n’en est pas un."),
        ("ar", "الأسعار بعملة XOF مبالغ صحيحة: 1500.50 ليس كذلك."),
    ],
)
def test_validation_messages_speak_the_admins_language(
    world, as_role, channel_xof, language, message
):
    world.mi.channels.add(channel_xof)
    listing = factories.listing(world.redmi, world.mi, channel_xof, "90000")
    client = as_role("brand")
    client.cookies["django_language"] = language

    response = client.post(change_url(listing), listing_post(listing, price="1500.50"))

    assert message in response.content.decode()

"""Orders, sellers, store pages, memberships and the audit trail in the back office."""

import pytest

from marketplace.backoffice.models import AuditEntry
from marketplace.memberships.models import Membership
from marketplace.memberships.services import membership_grant
from marketplace.order.models import OrderStatusChange
from marketplace.stores.models import StoreProfile

from .forms import admin_form_data

pytestmark = pytest.mark.django_db

ORDERS = "/admin/order/order/"
SELLERS = "/admin/partner/partner/"


def test_an_operator_moves_an_order_and_the_move_is_kept(world, as_role):
    client = as_role("channel")
    order = world.order_ng_lagos
    page = client.get(f"{ORDERS}{order.pk}/change/")
    assert [c[0] for c in page.context_data["adminform"].form.fields["status"].choices] == [
        "Pending", "Processing", "Cancelled",
    ]

    response = client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": "Processing"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Processing"
    change = OrderStatusChange.objects.get(order=order)
    assert (change.old_status, change.new_status) == ("Pending", "Processing")
    entry = AuditEntry.objects.get(object_id=str(order.pk), changes__has_key="status")
    assert (entry.actor, entry.channel_id) == (world.users["channel"], world.ng.pk)
    history = client.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert "Processing" in history


def test_a_move_the_pipeline_does_not_allow_is_refused(world, as_role):
    client = as_role("channel")
    order = world.order_ng_lagos
    page = client.get(f"{ORDERS}{order.pk}/change/")

    response = client.post(f"{ORDERS}{order.pk}/change/", {**admin_form_data(page), "status": "Delivered"})

    assert response.status_code == 200
    assert response.context_data["adminform"].form.errors["status"]
    order.refresh_from_db()
    assert order.status == "Pending"


@pytest.mark.parametrize("role", ["brand", "seller"])
def test_brand_managers_and_sellers_read_orders_without_changing_them(world, as_role, role):
    order = world.order_ng_mi if role == "brand" else world.order_ng_lagos
    client = as_role(role)

    page = client.get(f"{ORDERS}{order.pk}/change/")
    response = client.post(f"{ORDERS}{order.pk}/change/", {"status": "Processing"})

    assert page.status_code == 200
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == "Pending"


def test_an_order_shows_only_the_users_own_lines(world, as_role):
    from tests.backoffice.conftest import make_order

    mixed = make_order("NG-2001", world.ng, [world.mi_ng, world.lagos_spark_ng])

    page = as_role("seller").get(f"{ORDERS}{mixed.pk}/change/")

    lines = next(f.formset for f in page.context_data["inline_admin_formsets"]
                 if f.formset.model.__name__ == "Line")
    assert [form.instance.partner for form in lines.initial_forms] == [world.lagos]


def test_an_operator_cannot_rename_a_seller_that_also_sells_elsewhere(world, as_role):
    client = as_role("channel")
    page = client.get(f"{SELLERS}{world.mi.pk}/change/")
    forged = {"name": "Renamed", "slug": "renamed", "channels": [world.ng.pk]}

    response = client.post(f"{SELLERS}{world.mi.pk}/change/", forged)

    assert page.status_code == 200 and not page.context_data["has_change_permission"]
    assert response.status_code == 403
    world.mi.refresh_from_db()
    assert (world.mi.name, world.mi.slug) == ("Xiaomi Official Store", "xiaomi-official-store")
    assert set(world.mi.channels.all()) == {world.ng, world.eg, world.ke}


def test_an_operator_of_every_country_of_a_seller_renames_it(world, as_role):
    operator = world.users["channel"]
    membership_grant(user=operator, channel=world.eg)
    membership_grant(user=operator, channel=world.ke)
    client = as_role("channel")
    data = admin_form_data(client.get(f"{SELLERS}{world.mi.pk}/change/"))
    data["name"] = "Mi Official Store"

    response = client.post(f"{SELLERS}{world.mi.pk}/change/", data)

    assert response.status_code == 302
    world.mi.refresh_from_db()
    assert world.mi.name == "Mi Official Store"
    assert set(world.mi.channels.all()) == {world.ng, world.eg, world.ke}
    assert world.mi.is_official_store and world.mi.brand == world.xiaomi


def test_an_operator_cannot_take_a_seller_out_of_their_countries(world, as_role):
    client = as_role("channel")
    page = client.get(f"{SELLERS}{world.lagos.pk}/change/")
    data = admin_form_data(page)
    data.pop("channels", None)

    response = client.post(f"{SELLERS}{world.lagos.pk}/change/", data)

    assert response.status_code == 200
    assert "Choose at least one of your countries." in response.content.decode()
    assert list(world.lagos.channels.all()) == [world.ng]


def test_an_operator_adds_a_seller_in_their_country_only(world, as_role):
    client = as_role("channel")
    data = {"name": "Abuja Phones", "slug": "abuja-phones", "channels": [world.eg.pk]}

    refused = client.post(SELLERS + "add/", data)
    accepted = client.post(SELLERS + "add/", {**data, "channels": [world.ng.pk]})

    assert refused.status_code == 200 and "channels" in refused.context_data["adminform"].form.errors
    assert accepted.status_code == 302


def test_a_brand_manager_edits_the_store_page_in_each_language(world, as_role):
    client = as_role("brand")
    url = f"/admin/stores/storeprofile/{world.mi_profile.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update({
        "tagline": "Innovation for everyone",
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "fr",
        "translations-0-tagline": "L'innovation pour tous",
        "translations-0-description": "La boutique officielle de Xiaomi.",
    })

    response = client.post(url, data)

    assert response.status_code == 302
    assert world.mi_profile.translations.get(language="fr").tagline == "L'innovation pour tous"
    actions = set(
        AuditEntry.objects.filter(brand=world.xiaomi, actor=world.users["brand"]).values_list(
            "content_type__model", "action"
        )
    )
    assert actions == {("storeprofile", "changed"), ("storeprofiletranslation", "created")}


def test_a_brand_manager_cannot_create_a_page_for_another_store(world, as_role):
    StoreProfile.objects.filter(partner=world.tecno).delete()

    response = as_role("brand").post(
        "/admin/stores/storeprofile/add/",
        {"partner": world.tecno.pk, "tagline": "x", "translations-TOTAL_FORMS": "0",
         "translations-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 200
    assert "partner" in response.context_data["adminform"].form.errors
    assert not StoreProfile.objects.filter(partner=world.tecno).exists()


def test_memberships_are_granted_by_superusers_and_audited(world, as_role):
    client = as_role("superuser")
    response = client.post(
        "/admin/memberships/membership/add/",
        {"user": world.users["eg_operator"].pk, "channel": world.ke.pk},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=world.users["eg_operator"], channel=world.ke)
    entry = AuditEntry.objects.get(content_type__model="membership", object_id=str(membership.pk))
    assert (entry.action, entry.actor, entry.channel_id) == (
        AuditEntry.CREATED, world.users["superuser"], world.ke.pk,
    )


def test_a_membership_needs_exactly_one_object(world, as_role):
    response = as_role("superuser").post(
        "/admin/memberships/membership/add/",
        {"user": world.users["eg_operator"].pk, "channel": world.ke.pk, "brand": world.xiaomi.pk},
    )

    assert response.status_code == 200
    assert "Choose exactly one brand, seller or channel." in response.content.decode()


def test_the_audit_trail_is_read_only_and_scoped(world, as_role):
    client = as_role("seller")
    listing = client.get("/admin/backoffice/auditentry/")
    entry = world.audit_lagos_ng

    assert listing.status_code == 200
    assert list(listing.context_data["cl"].queryset) == [entry]
    page = client.get(f"/admin/backoffice/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and not page.context_data["has_change_permission"]
    assert client.post(f"/admin/backoffice/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_operator_features_products_their_channel_sells(world, as_role):
    client = as_role("channel")
    url = "/admin/stores/featuredproduct/add/"

    other_channel = client.post(url, {"channel": world.eg.pk, "product": world.spark.pk, "position": 1})
    not_sold = client.post(url, {"channel": world.ng.pk, "product": world.pova.pk, "position": 1})
    accepted = client.post(url, {"channel": world.ng.pk, "product": world.spark.pk, "position": 1})

    assert "channel" in other_channel.context_data["adminform"].form.errors
    assert "product" in not_sold.context_data["adminform"].form.errors
    assert accepted.status_code == 302
    assert set(world.ng.featured_products.values_list("product", flat=True)) == {
        world.redmi.pk, world.spark.pk,
    }


def test_the_product_choice_names_why_a_product_cannot_be_featured(world, as_role):
    # The superuser may pick any product; the rule still holds.
    response = as_role("superuser").post(
        "/admin/stores/featuredproduct/add/",
        {"channel": world.gh.pk, "product": world.spark.pk, "position": 1},
    )

    assert "Tecno Spark 20 is not on sale in Ghana (GHS)." in response.content.decode()

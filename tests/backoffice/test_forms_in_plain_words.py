"""Forms written for the people who fill them in: lists, one choice preselected, dir=auto, plain words."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.backoffice.models import AuditEntry
from marketplace.backoffice.widgets import ListField
from marketplace.delivery.models import DeliveryOption
from marketplace.payments.models import PaymentOption
from marketplace.stores.models import StoreProfile

pytestmark = pytest.mark.django_db


# --- the list widget ---------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "cities"), [
    ("Port Harcourt, Ibadan", ["Port Harcourt", "Ibadan"]),
    ("Lagos\r\nAbuja\n\n  Lagos ", ["Lagos", "Abuja"]),
    ("القاهرة\nالجيزة", ["القاهرة", "الجيزة"]),
    ("", []),
])
def test_a_list_is_typed_one_per_line_or_with_commas(typed, cities):
    assert ListField(required=False).clean(typed) == cities


@pytest.mark.parametrize("typed", ["Lagos\x00", "x" * 101, "\n".join(str(i) for i in range(201))])
def test_a_bad_list_is_refused_clearly(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ListField(required=False).clean(typed)


def delivery_post(channel, **overrides):
    data = {
        "channel": channel.pk, "kind": DeliveryOption.EXPRESS, "name": "Express", "price": "3000",
        "free_above": "", "min_days": "1", "max_days": "2", "abroad_extra_days": "7",
        "cities": "Port Harcourt, Ibadan", "is_active": "on", "position": "0",
        "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_operator_types_cities_served_as_a_list(world, as_role):
    client = as_role("channel")

    page = client.get("/admin/delivery/deliveryoption/add/").content.decode()
    response = client.post("/admin/delivery/deliveryoption/add/", delivery_post(world.ng))

    assert "One per line (or separated by commas)." in page
    assert response.status_code == 302, response.content.decode()[:3000]
    option = DeliveryOption.objects.get(name="Express")
    assert option.cities == ["Port Harcourt", "Ibadan"]
    page = client.get(f"/admin/delivery/deliveryoption/{option.pk}/change/").content.decode()
    assert "Port Harcourt\nIbadan</textarea>" in page


def test_the_only_channel_is_preselected_without_an_empty_choice(world, as_role):
    operator = as_role("channel").get("/admin/delivery/deliveryoption/add/").content.decode()
    select = re.search(r'<select name="channel".*?</select>', operator, re.S).group(0)

    assert "---------" not in select
    assert select.count("<option") == 1 and "Nigeria (NGN)" in select


def test_a_choice_among_several_still_starts_empty(world, as_role):
    page = as_role("superuser").get("/admin/delivery/deliveryoption/add/").content.decode()
    select = re.search(r'<select name="channel".*?</select>', page, re.S).group(0)

    assert "---------" in select


def test_a_brand_manager_of_one_brand_has_it_preselected(world, as_role):
    page = as_role("brand").get("/admin/catalogue/product/add/").content.decode()
    select = re.search(r'<select name="brand".*?</select>', page, re.S).group(0)

    assert "---------" not in select and "Xiaomi" in select


def test_free_text_inputs_follow_the_direction_of_their_text(world, as_role):
    page = as_role("brand").get(f"/admin/catalogue/product/{world.redmi.pk}/change/").content.decode()

    for name in ("title", "description"):
        tag = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'dir="auto"' in tag, tag
    translation_inputs = re.findall(r'<(?:input|textarea)[^>]*name="translations-[^"]*-title"[^>]*>', page)
    assert translation_inputs and all('dir="auto"' in tag for tag in translation_inputs)


def test_product_fields_are_labelled_in_plain_words(world, as_role):
    page = as_role("brand").get(f"/admin/catalogue/product/{world.redmi.pk}/change/").content.decode()

    assert "secondary unique identifier" not in page
    assert "Product code (UPC or EAN)" in page
    assert "Name in the web address" in page
    assert "Value richtext" not in page and 'name="attribute_values-0-value_richtext"' not in page


# --- audit trail and messages in plain words ----------------------------------------------


def test_the_audit_trail_reads_in_plain_words_with_currency(world, as_role):
    client = as_role("brand")
    listing = world.mi_ng
    client.post(f"/admin/partner/stockrecord/{listing.pk}/change/", {
        "partner_sku": listing.partner_sku, "price": "155000.50", "num_in_stock": "9",
        "low_stock_threshold": "", "is_live": "",
    })

    page = client.get("/admin/backoffice/auditentry/").content.decode()

    assert "₦150,000.00 → ₦155,000.50" in page
    assert "Live</strong>: Yes → No" in page
    assert "is_live" not in page and "Partner: " not in page
    assert "Redmi A3 by Xiaomi Official Store in Nigeria (NGN)" in page or "Redmi A3 by" in page
    assert "marketplace/css/backoffice.css" in page


def test_the_pay_on_delivery_cap_change_is_audited(world, as_role):
    client = as_role("channel")
    option = world.pod_ng

    response = client.post(f"/admin/payments/paymentoption/{option.pk}/change/", {
        "channel": world.ng.pk, "method": option.method, "provider": option.provider,
        "max_order_total": "250000", "is_active": "on", "position": "0",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PaymentOption), object_id=str(option.pk)
    )
    assert entry.actor == world.users["channel"] and entry.channel_id == world.ng.pk
    assert entry.changes["max_order_total"] == [None, "250000.00"] or entry.changes["max_order_total"][1] in (
        "250000", "250000.00",
    )
    page = client.get("/admin/backoffice/auditentry/").content.decode()
    assert "₦250,000.00" in page
    assert option.max_order_total is None or Decimal(option.max_order_total) >= 0


# --- store pages and the site ----------------------------------------------------------------


def test_a_store_page_links_to_the_shop_and_previews_its_images(world, as_role):
    page = as_role("brand").get(f"/admin/stores/storeprofile/{world.mi_profile.pk}/change/").content.decode()

    assert "View on site" in page
    assert re.search(rf'href="/[a-z]{{2}}/store/{world.mi.slug}/" class="viewsitelink"', page)
    assert "1600 × 400 pixels" in page and "400 × 400 pixels" in page
    assert "Django administration" not in page and "Marketplace back office" in page


def test_view_on_site_opens_the_stores_page_in_its_country(world, client):
    from django.contrib import admin

    url = admin.site._registry[StoreProfile].get_view_on_site_url(world.mi_profile)
    first_channel = world.mi.channels.order_by("position", "pk").first()

    assert url == f"/{first_channel.code}/store/{world.mi.slug}/"
    assert client.get(url).status_code == 200


def test_add_store_page_is_offered_only_for_a_store_without_one(world, as_role):
    client = as_role("brand")

    listing = client.get("/admin/stores/storeprofile/").content.decode()
    add = client.get("/admin/stores/storeprofile/add/", follow=True).content.decode()

    tools = re.search(r'<ul class="object-tools">.*?</ul>', listing, re.S)
    assert tools is None or "/admin/stores/storeprofile/add/" not in tools.group(0)
    assert "Each of your stores has its page already" in add
    select = re.search(r'<select name="partner".*?</select>', add, re.S)
    assert select is None or world.mi.name not in select.group(0)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_apps_keep_their_order_in_every_language(world, as_role, language):
    client = as_role("superuser")
    english = re.findall(r'<caption>\s*<a href="/admin/([a-z_]+)/"', client.get("/admin/").content.decode())
    client.cookies["django_language"] = language
    translated = re.findall(r'<caption>\s*<a href="/admin/([a-z_]+)/"', client.get("/admin/").content.decode())

    assert english and english == translated
    assert english[:3] == ["order", "partner", "catalogue"]

"""Brand managers edit their brand's products: brand link, variants, inlines, deletion."""

import pytest
from oscar.apps.catalogue.models import Product

from marketplace.partner.models import StockRecord
from marketplace.stores.models import ProductBrand

from .forms import admin_form_data

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/catalogue/product/"


def add_data(**overrides):
    data = {
        "structure": "standalone", "is_public": "on", "title": "Redmi 14C", "slug": "redmi-14c",
        "upc": "XM-14C", "product_class": "", "is_discountable": "on", "priority": "0",
    }
    for prefix in (
        "translations", "images", "productcategory_set", "attribute_values", "stockrecords",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


@pytest.fixture
def product_class():
    from tests import factories

    return factories.product_class()


def test_a_brand_manager_adds_a_product_of_their_brand(world, as_role, product_class):
    response = as_role("brand").post(
        PRODUCTS + "add/",
        add_data(product_class=product_class.pk, brand=world.xiaomi.pk),
    )

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    product = Product.objects.get(upc="XM-14C")
    assert product.brand_link.brand == world.xiaomi


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"brand": ""}, "brand"),  # every product belongs to a brand
        ({"brand": "tecno_brand"}, "brand"),  # not the manager's brand
        ({"structure": "child", "parent": "pova", "brand": ""}, "parent"),  # another brand's parent
    ],
)
def test_a_product_outside_the_brand_is_refused(world, as_role, product_class, overrides, field):
    data = add_data(product_class=product_class.pk, brand=world.xiaomi.pk)
    for key, value in overrides.items():
        data[key] = world.objects[value].pk if value in world.objects else value
    if overrides.get("structure") == "child":
        data["product_class"] = ""
    count = Product.objects.count()

    response = as_role("brand").post(PRODUCTS + "add/", data)

    assert response.status_code == 200
    assert field in response.context_data["adminform"].form.errors
    assert Product.objects.count() == count


def test_a_variant_of_an_own_product_takes_its_brand(world, as_role):
    data = add_data(structure="child", parent=world.note.pk, title="Redmi Note 13 12GB",
                    slug="redmi-note-13-12gb", upc="XM-NOTE13-12")

    response = as_role("brand").post(PRODUCTS + "add/", data)

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    variant = Product.objects.get(upc="XM-NOTE13-12")
    assert variant.parent == world.note
    assert not ProductBrand.objects.filter(product=variant).exists()
    # In the manager's scope through the parent.
    assert as_role("brand").get(f"{PRODUCTS}{variant.pk}/change/").status_code == 200


def test_the_product_page_edits_the_stores_listings_only(world, as_role):
    client = as_role("brand")
    page = client.get(f"{PRODUCTS}{world.redmi.pk}/change/")
    listings = next(
        f.formset for f in page.context_data["inline_admin_formsets"]
        if f.formset.model is StockRecord
    )
    # Lagos Gadgets Hub also lists the Redmi A3; the brand manager does not see it.
    assert {form.instance for form in listings.initial_forms} == {world.mi_ng, world.mi_eg}

    data = admin_form_data(page)
    prefix = listings.prefix
    index = next(i for i, f in enumerate(listings.initial_forms) if f.instance == world.mi_ng)
    data[f"{prefix}-{index}-price"] = "151000.00"
    response = client.post(f"{PRODUCTS}{world.redmi.pk}/change/", data)

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    world.mi_ng.refresh_from_db()
    assert str(world.mi_ng.price) == "151000.00"


def test_a_foreign_listing_id_in_the_inline_is_refused(world, as_role):
    client = as_role("brand")
    page = client.get(f"{PRODUCTS}{world.redmi.pk}/change/")
    listings = next(
        f.formset for f in page.context_data["inline_admin_formsets"]
        if f.formset.model is StockRecord
    )
    data = admin_form_data(page)
    prefix = listings.prefix
    # Swap the id of the first row for the Lagos Gadgets Hub listing of the same product.
    data[f"{prefix}-0-id"] = str(world.lagos_ng.pk)
    data[f"{prefix}-0-price"] = "1.00"

    response = client.post(f"{PRODUCTS}{world.redmi.pk}/change/", data)

    assert response.status_code == 200
    world.lagos_ng.refresh_from_db()
    assert str(world.lagos_ng.price) == "149000.00"


def test_deleting_names_only_what_the_manager_can_see_and_is_refused(world, as_role):
    # Deleting the Redmi A3 would delete Lagos Gadgets Hub's listing of it.
    response = as_role("brand").get(f"{PRODUCTS}{world.redmi.pk}/delete/")

    assert response.status_code == 200
    assert response.context_data["perms_lacking"]
    assert "Lagos" not in response.content.decode()
    # What the confirmation would list names the hidden listing by its type only.
    listed = str(response.context_data["deleted_objects"])
    assert "Listing that you cannot see" in listed
    assert "Lagos" not in listed
    as_role("brand").post(f"{PRODUCTS}{world.redmi.pk}/delete/", {"post": "yes"})
    assert Product.objects.filter(pk=world.redmi.pk).exists()


def test_the_history_names_a_category_link_by_its_category(world, as_role):
    from django.contrib.admin.models import LogEntry
    from oscar.apps.catalogue.models import ProductCategory

    link = ProductCategory.objects.filter(product=world.redmi).select_related("category").first()
    assert link is not None, "the world's Redmi A3 has a category"
    client = as_role("superuser")
    page = client.get(f"{PRODUCTS}{world.redmi.pk}/change/")
    categories = next(
        f.formset for f in page.context_data["inline_admin_formsets"]
        if f.formset.model is ProductCategory
    )
    data = admin_form_data(page)
    index = next(i for i, f in enumerate(categories.initial_forms) if f.instance == link)
    data[f"{categories.prefix}-{index}-DELETE"] = "on"

    response = client.post(f"{PRODUCTS}{world.redmi.pk}/change/", data)

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    entry = LogEntry.objects.filter(object_id=str(world.redmi.pk)).latest("action_time")
    said = entry.get_change_message()
    assert str(link.category) in said and "<productcategory" not in said, said

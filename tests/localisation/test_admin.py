"""
Brand managers enter each language in the admin, which itself works in
English, French and Arabic (right-to-left), chosen with its language form.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin
from oscar.apps.catalogue.models import Category, Product

from marketplace.localisation.admin import (
    CategoryTranslationInline,
    ProductTranslationInline,
    attach_translation_inlines,
)
from marketplace.localisation.models import CategoryTranslation
from tests import factories

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html[^>]*>")


@pytest.fixture
def superuser_client(client, launch_channels):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough-1")
    client.force_login(user)
    return client


def html_tag(response):
    return HTML_TAG.search(response.content.decode()).group(0)


@pytest.mark.parametrize(
    ("language", "direction", "log_out"),
    [("en", "ltr", "Log out"), ("fr", "ltr", "Déconnexion"), ("ar", "rtl", "تسجيل الخروج")],
)
def test_the_admin_speaks_the_chosen_language(superuser_client, language, direction, log_out):
    response = superuser_client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    assert response["Location"] == "/admin/"

    page = superuser_client.get("/admin/")

    assert page.status_code == 200
    assert f'lang="{language}"' in html_tag(page)
    assert f'dir="{direction}"' in html_tag(page)
    assert log_out in page.content.decode()
    # The chooser offers every language in its own name, the current one selected.
    content = page.content.decode()
    assert 'action="/i18n/setlang/"' in content
    assert re.search(rf'<option value="{language}" lang="{language}" selected>', content)
    for name in ("English", "français", "العربيّة", "Kiswahili"):
        assert name in content


def test_the_product_page_has_a_block_per_language(superuser_client, phones):
    product = factories.product("Redmi Note 13", category=phones)
    superuser_client.cookies["django_language"] = "ar"

    page = superuser_client.get(f"/admin/catalogue/product/{product.pk}/change/")

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="translations-TOTAL_FORMS"' in content
    assert "ترجمات المنتجات" in content  # "product translations", in Arabic
    assert 'dir="rtl"' in html_tag(page)


def test_a_category_name_entered_in_the_admin_shows_on_the_storefront(
    superuser_client, client, official_store, launch_channels
):
    phones = factories.category("Phones")
    phone = factories.product("Redmi Note 13", category=phones)
    factories.listing(phone, official_store, launch_channels["eg"], "100")
    superuser_client.cookies["django_language"] = "fr"
    url = f"/admin/catalogue/category/{phones.pk}/change/"
    form = superuser_client.get(url)
    assert 'name="translations-TOTAL_FORMS"' in form.content.decode()

    response = superuser_client.post(url, {
        "name": "Phones", "slug": "phones", "description": "", "is_public": "on",
        "ancestors_are_public": "on", "treebeard_position": "first-child", "treebeard_ref_node": "",
        "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0", "translations-MAX_NUM_FORMS": "3",
        "translations-0-language": "ar", "translations-0-name": "هواتف",
        "translations-0-description": "",
    })

    assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())
    assert CategoryTranslation.objects.get(parent=phones, language="ar").name == "هواتف"
    assert ">هواتف</a>" in client.get("/eg/").content.decode()


def test_inlines_are_attached_to_whichever_admin_is_registered():
    site = admin.AdminSite(name="elsewhere")
    site.register(Product, OscarProductAdmin)
    site.register(Category)

    attach_translation_inlines(site)
    attach_translation_inlines(site)  # twice: still one

    assert site.get_model_admin(Product).inlines.count(ProductTranslationInline) == 1
    assert CategoryTranslationInline in site.get_model_admin(Category).inlines
    assert ProductTranslationInline not in OscarProductAdmin.inlines  # Oscar's class untouched


def test_an_admin_listing_a_subclass_of_the_inline_gets_no_second_one():
    class ScopedProductTranslationInline(ProductTranslationInline):
        pass

    class ProductAdmin(admin.ModelAdmin):
        inlines = [ScopedProductTranslationInline]

    site = admin.AdminSite(name="scoped")
    site.register(Product, ProductAdmin)
    attach_translation_inlines(site)

    assert site.get_model_admin(Product).inlines == [ScopedProductTranslationInline]


def test_the_registered_admins_have_the_translation_inlines():
    for model, inline in ((Product, ProductTranslationInline), (Category, CategoryTranslationInline)):
        inlines = admin.site.get_model_admin(model).inlines
        assert any(issubclass(i, inline) for i in inlines), model

"""
Each language's key pages: translated interface and content, lang/dir, money,
dates; and the fallbacks when a product has no translation or a language is
not offered.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html[^>]*>")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def html_tag(content):
    return HTML_TAG.search(content).group(0)


def product_url(prefix, product):
    return f"{prefix}catalogue/{product.slug}_{product.pk}/"


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "title", "description", "category", "interface", "price"),
    [
        ("/ci/", "fr-CI", "ltr", "Smartphone Redmi Note 13", "Un téléphone au grand écran.",
         "Téléphones", "Ajouter au panier", "1\u202f180\xa0F\u202fCFA"),
        ("/eg/", "ar-EG", "rtl", "هاتف ريدمي نوت 13", "هاتف بشاشة كبيرة.",
         "هواتف", "أضف إلى السلة", "\u200f1,140.00\xa0ج.م.\u200f"),
        ("/ma/ar/", "ar-MA", "rtl", "هاتف ريدمي نوت 13", "هاتف بشاشة كبيرة.",
         "هواتف", "أضف إلى السلة", "\u200f1.200,00\xa0د.م.\u200f"),
        ("/ma/", "fr-MA", "ltr", "Smartphone Redmi Note 13", "Un téléphone au grand écran.",
         "Téléphones", "Ajouter au panier", "1\u202f200,00\xa0MAD"),
        ("/ke/sw/", "sw-KE", "ltr", "Redmi Note 13", "A phone with a big screen.",
         "Phones", "Weka kwenye kikapu", "Ksh\xa01,160.00"),
        ("/eg/en/", "en-EG", "ltr", "Redmi Note 13", "A phone with a big screen.",
         "Phones", "Add to basket", "EGP1,140.00"),
    ],
)
def test_product_page_in_each_language(
    client, translated_catalogue, prefix, lang, direction, title, description, category,
    interface, price,
):
    content = page(client, product_url(prefix, translated_catalogue["phone"]))

    assert f'lang="{lang}"' in html_tag(content)
    assert f'dir="{direction}"' in html_tag(content)
    assert f"<h1>{title}</h1>" in content
    assert f"<title>{title} |" in content
    assert description in content
    assert interface in content
    assert price in content
    # The category is named in the shopper's language in the navigation.
    assert f">{category}</a>" in content


@pytest.mark.parametrize(
    ("prefix", "category", "title", "heading"),
    [
        ("/ci/", "Téléphones", "Smartphone Redmi Note 13", "Tous les produits"),
        ("/eg/", "هواتف", "هاتف ريدمي نوت 13", "جميع المنتجات"),
        ("/ke/sw/", "Phones", "Redmi Note 13", "Bidhaa zote"),
    ],
)
def test_home_category_and_catalogue_pages_show_translated_content(
    client, translated_catalogue, prefix, category, title, heading
):
    phones = translated_catalogue["category"]
    home = page(client, prefix)
    assert f">{category}</a>" in home
    assert f'">{title}</a></h3>' in home

    listing = page(client, f"{prefix}catalogue/category/phones_{phones.pk}/")
    assert f"<h1>{category}</h1>" in listing
    assert f'<li class="breadcrumb-item active" aria-current="page">{category}</li>' in listing
    assert f'">{title}</a></h2>' in listing

    assert heading in page(client, f"{prefix}catalogue/")


def test_a_product_without_translations_shows_its_english_title_everywhere(
    client, translated_catalogue
):
    cable = translated_catalogue["untranslated"]
    for prefix in ("/ci/", "/eg/", "/ke/sw/", "/ma/ar/"):
        content = page(client, product_url(prefix, cable))
        assert "<h1>Braided USB-C Cable</h1>" in content
        assert '">Braided USB-C Cable</a></h2>' in page(client, f"{prefix}catalogue/")


def test_morocco_in_arabic_falls_back_to_french_before_english(client, translated_catalogue):
    phone = translated_catalogue["phone"]
    phone.translations.filter(language="ar").delete()

    content = page(client, product_url("/ma/ar/", phone))

    assert "<h1>Smartphone Redmi Note 13</h1>" in content
    assert 'dir="rtl"' in html_tag(content)


@pytest.mark.parametrize(
    ("prefix", "query", "found"),
    [
        ("/eg/", "ريدمي", True),  # the Arabic title
        ("/ma/ar/", "ريدمي", True),
        ("/ci/", "smartphone", True),  # the French title
        ("/ci/", "redmi", True),  # the English title still matches
        ("/eg/en/", "ريدمي", True),  # English shopper, Arabic channel default
        ("/ci/", "ريدمي", False),  # Arabic is not a language of Côte d'Ivoire
        ("/ke/sw/", "smartphone", False),
    ],
)
def test_search_finds_products_by_their_title_in_the_shoppers_language(
    client, translated_catalogue, prefix, query, found
):
    content = page(client, f"{prefix}search/?q={query}")
    phone = translated_catalogue["phone"]

    assert (f'data-product="{phone.pk}"' in content) is found


def test_search_results_show_each_product_once(client, translated_catalogue):
    content = page(client, "/ci/search/?q=Redmi")
    assert content.count(f'data-product="{translated_catalogue["phone"].pk}"') == 1


@pytest.mark.parametrize(
    ("prefix", "joined"),
    [
        # 2026-03-01 23:30 UTC: already 2 March in Cairo and Nairobi, still 1 March in
        # Abidjan (marketplace/localisation/formats for the Arabic and Swahili shapes).
        ("/eg/", "2 مارس 2026، 01:30"),
        ("/ke/sw/", "2 Machi 2026, 02:30"),
        ("/ci/", "1 mars 2026 23:30"),
    ],
)
def test_dates_are_in_the_channels_timezone_and_the_shoppers_language(
    client, launch_channels, prefix, joined
):
    user = get_user_model().objects.create_user("ama", "ama@example.com", "pw-long-enough-1")
    user.date_joined = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    user.save()
    client.force_login(user)

    # Oscar's own profile page, formatted by Django for the active language and timezone.
    assert joined in page(client, f"{prefix}accounts/profile/")

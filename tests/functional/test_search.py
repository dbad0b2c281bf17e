"""Search: full-text and trigram on PostgreSQL, plain substrings on SQLite; always the channel's."""

import pytest
from django.db import connection

from marketplace.localisation.models import ProductTranslation
from marketplace.partner.selectors import products_for_channel
from tests import factories

pytestmark = pytest.mark.django_db


def titles(channel, query, language=None):
    return [p.title for p in products_for_channel(channel, query=query, language=language)]


@pytest.fixture
def shelf(official_store, channel_ngn, channel_xof, phones):
    def item(title, channels=(channel_ngn,), **kwargs):
        product = factories.product(title, category=phones)
        for channel in channels:
            factories.listing(product, official_store, channel, "100.00", **kwargs)
        return product

    return item


def test_a_word_prefix_finds_the_longer_word(shelf, channel_ngn):
    shelf("Redmi M0420 Charger")
    shelf("Tecno Spark")

    assert titles(channel_ngn, "M042") == ["Redmi M0420 Charger"]
    assert titles(channel_ngn, "redm charg") == ["Redmi M0420 Charger"]


def test_results_are_only_the_channels_live_listings(shelf, channel_ngn, channel_xof):
    shelf("Redmi Note here")
    shelf("Redmi Note elsewhere", channels=(channel_xof,))
    shelf("Redmi Note unlisted", live=False)

    assert titles(channel_ngn, "redmi note") == ["Redmi Note here"]
    assert titles(channel_xof, "redmi note") == ["Redmi Note elsewhere"]


def test_a_french_title_is_found_in_french_only(shelf, channel_ngn, channel_xof):
    product = shelf("Wireless earbuds", channels=(channel_ngn, channel_xof))
    ProductTranslation.objects.create(parent=product, language="fr", title="Mini écouteurs sans fil")

    assert titles(channel_xof, "écouteurs") == ["Wireless earbuds"]
    assert titles(channel_xof, "earbuds") == ["Wireless earbuds"]  # English titles still count
    assert titles(channel_ngn, "écouteurs") == []


def test_a_variants_title_finds_its_family(official_store, channel_ngn, phones):
    parent = factories.product("Phone family", category=phones, structure="parent")
    child = factories.product("Phone 8GB", parent=parent)
    factories.listing(child, official_store, channel_ngn, "10.00")

    assert titles(channel_ngn, "8GB") == ["Phone family"]


def test_a_listing_sku_finds_the_product(shelf, channel_ngn):
    product = shelf("Power bank")
    sku = product.stockrecords.get().partner_sku

    assert titles(channel_ngn, sku.lower()) == ["Power bank"]


@pytest.mark.usefixtures("postgres")
def test_full_text_matches_stemmed_words_in_each_language(shelf, channel_ngn, channel_xof):
    product = shelf("Smart phone stand", channels=(channel_ngn, channel_xof))
    ProductTranslation.objects.create(parent=product, language="fr", title="Support de téléphone")

    # English stemming on the base title; French stemming on the French one.
    assert titles(channel_ngn, "phones") == ["Smart phone stand"]
    assert titles(channel_xof, "téléphones") == ["Smart phone stand"]


@pytest.mark.usefixtures("postgres")
def test_a_full_text_match_ranks_above_a_match_inside_a_word(shelf, channel_ngn):
    shelf("Redmi Buds")  # older: the word itself
    shelf("Xiaomi Redmi Buds bundle")  # the word too
    shelf("Predmix adapter")  # newest: "redm" only inside a word (trigram)

    found = titles(channel_ngn, "redm")

    assert found[-1] == "Predmix adapter"
    assert set(found[:2]) == {"Redmi Buds", "Xiaomi Redmi Buds bundle"}


@pytest.mark.usefixtures("postgres")
def test_search_uses_the_full_text_and_trigram_indexes():
    from oscar.apps.catalogue.models import Product

    from marketplace.partner import search

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # an empty table: ask whether it could
    # Unordered: the models' default orderings would let an ordered index scan win.
    words = Product.objects.filter(search._matches_text(["m042"], "english")).order_by().explain()
    inside = Product.objects.filter(title__icontains="0420").order_by().explain()
    french = ProductTranslation.objects.filter(language="fr").filter(
        search._matches_text(["téléphone"], "french")
    ).order_by().explain()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = on")
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'producttranslation_fts_fr'"
        )
        (french_index,) = cursor.fetchone()

    assert "product_title_fts" in words
    assert "product_title_trgm" in inside
    # On an empty table the planner prefers the unique (parent, language) index for
    # French; the expression it filters on is the partial index's, so it can use it.
    expression = "to_tsvector('french'::regconfig, (COALESCE(title, ''::character varying))::text)"
    assert expression in french
    assert expression in french_index and "WHERE ((language)::text = 'fr'::text)" in french_index


def test_the_sqlite_path_still_matches_substrings(shelf, channel_ngn, monkeypatch):
    from marketplace.partner import search

    shelf("Redmi M0420 Charger")
    # The path SQLite takes, on whichever database this runs.
    monkeypatch.setattr(search, "uses_full_text", lambda queryset: False)
    monkeypatch.setattr(search, "_full_text", lambda *a, **k: pytest.fail("full-text used"))

    assert titles(channel_ngn, "0420") == ["Redmi M0420 Charger"]

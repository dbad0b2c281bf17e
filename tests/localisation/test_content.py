"""Reading translatable content: the shopper's language, the channel's default, then English."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.apps.catalogue.models import Product

from marketplace.channels import context
from marketplace.localisation.catalogue import product_description, product_title
from marketplace.localisation.content import fallback_languages, translated
from marketplace.localisation.models import ProductTranslation
from tests import factories

pytestmark = pytest.mark.django_db


def title_in(product, language, channel):
    product = type(product).objects.get(pk=product.pk)  # nothing cached from before
    with translation.override(language), context.override(channel):
        return product_title(product)


def test_fallback_order_is_shopper_then_channel_default_then_english(channel_mad):
    assert fallback_languages("ar", channel_mad) == ["ar", "fr", "en"]
    assert fallback_languages("fr", channel_mad) == ["fr", "en"]
    assert fallback_languages("sw", None) == ["sw", "en"]


@pytest.mark.parametrize(
    ("language", "channel_code", "expected"),
    [
        ("fr", "ci", "Smartphone Redmi Note 13"),
        ("ar", "eg", "هاتف ريدمي نوت 13"),
        ("ar", "ma", "هاتف ريدمي نوت 13"),
        ("fr", "ma", "Smartphone Redmi Note 13"),
        # No Swahili title: the channel's default (English) is the base title.
        ("sw", "ke", "Redmi Note 13"),
        # An English shopper in an Arabic-first channel reads English, not Arabic.
        ("en", "eg", "Redmi Note 13"),
        ("en", "ng", "Redmi Note 13"),
    ],
)
def test_product_title_in_each_channel_and_language(
    translated_catalogue, launch_channels, language, channel_code, expected
):
    phone = translated_catalogue["phone"]
    assert title_in(phone, language, launch_channels[channel_code]) == expected


def test_a_missing_translation_falls_back_to_the_channels_default_language(
    translated_catalogue, channel_mad
):
    phone = translated_catalogue["phone"]
    ProductTranslation.objects.filter(parent=phone, language="ar").delete()

    # Morocco in Arabic: no Arabic title, so French (Morocco's default), not English.
    assert title_in(phone, "ar", channel_mad) == "Smartphone Redmi Note 13"


def test_an_empty_translated_field_falls_back_instead_of_showing_nothing(
    translated_catalogue, channel_xof
):
    phone = translated_catalogue["phone"]
    ProductTranslation.objects.filter(parent=phone, language="fr").update(description="")

    phone.refresh_from_db()
    languages = fallback_languages("fr", channel_xof)
    assert translated(phone, "description", languages) == "A phone with a big screen."
    assert translated(phone, "title", languages) == "Smartphone Redmi Note 13"


def test_a_variant_without_a_title_takes_its_parents_translated_title(channel_xof, official_store):
    family = factories.product("Redmi 13C", structure="parent")
    ProductTranslation.objects.create(parent=family, language="fr", title="Téléphone Redmi 13C")
    variant = factories.product("Untitled variant", parent=family)
    type(variant).objects.filter(pk=variant.pk).update(title="")

    assert title_in(variant, "fr", channel_xof) == "Téléphone Redmi 13C"
    assert title_in(variant, "en", channel_xof) == "Redmi 13C"


def test_the_title_is_never_empty(channel_kes):
    product = factories.product("Plain title")
    ProductTranslation.objects.create(parent=product, language="sw", title="Jina")
    ProductTranslation.objects.filter(parent=product).update(title="")

    assert title_in(product, "sw", channel_kes) == "Plain title"


def test_oscars_product_methods_are_not_patched():
    # The translation has its own seam (product_title, |product_title): Oscar's
    # methods are Oscar's, for the back office, scripts and Oscar's own code.
    assert Product.get_title is AbstractProduct.get_title
    assert Product.__str__ is AbstractProduct.__str__


def test_oscars_title_is_the_base_title_even_inside_a_channel(translated_catalogue, channel_xof):
    phone = translated_catalogue["phone"]
    with translation.override("fr"), context.override(channel_xof):
        assert phone.get_title() == "Redmi Note 13"
        assert str(phone) == "Redmi Note 13"
        assert product_title(phone) == "Smartphone Redmi Note 13"


def test_product_description_is_oscars_str_in_the_shoppers_language(
    translated_catalogue, channel_xof
):
    # What a basket line is called (Oscar's Line.description starts with str(product)).
    phone = translated_catalogue["phone"]
    with translation.override("fr"), context.override(channel_xof):
        assert product_description(phone) == "Smartphone Redmi Note 13"
    with translation.override("en"), context.override(channel_xof):
        assert product_description(phone) == "Redmi Note 13"


def test_a_variant_without_a_title_is_described_by_its_familys_translated_title(
    channel_xof, official_store
):
    family = factories.product("Redmi 13C", structure="parent")
    ProductTranslation.objects.create(parent=family, language="fr", title="Téléphone Redmi 13C")
    variant = factories.product("Untitled variant", parent=family)
    Product.objects.filter(pk=variant.pk).update(title="")
    variant = Product.objects.get(pk=variant.pk)

    with translation.override("fr"), context.override(channel_xof):
        assert product_description(variant) == "Téléphone Redmi 13C"


def test_english_only_reads_no_translation_rows(translated_catalogue, channel_ngn):
    phone = type(translated_catalogue["phone"]).objects.get(pk=translated_catalogue["phone"].pk)
    with CaptureQueriesContext(connection) as queries:
        assert product_title(phone, ["en"]) == "Redmi Note 13"
    assert len(queries) == 0


def test_translations_are_read_once_per_product(translated_catalogue, channel_xof):
    phone = type(translated_catalogue["phone"]).objects.get(pk=translated_catalogue["phone"].pk)
    with translation.override("fr"), context.override(channel_xof), \
            CaptureQueriesContext(connection) as queries:
        product_title(phone)
        product_description(phone)
        product_title(phone)
    assert len(queries) == 1


def test_one_translation_per_product_and_language(translated_catalogue):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductTranslation.objects.create(
            parent=translated_catalogue["phone"], language="fr", title="Encore"
        )


def test_an_unsaved_product_has_its_own_title(channel_xof):
    with translation.override("fr"), context.override(channel_xof):
        assert product_title(Product(title="Brand new")) == "Brand new"

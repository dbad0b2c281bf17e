"""The demo catalogue comes with French, Arabic and some Swahili content, idempotently."""

import pytest
from django.core.management import call_command

from marketplace.demo import translations
from marketplace.localisation.models import CategoryTranslation, ProductTranslation

pytestmark = pytest.mark.django_db


def rows():
    return (
        sorted(ProductTranslation.objects.values_list("parent__upc", "language", "title", "description")),
        sorted(CategoryTranslation.objects.values_list("parent__name", "language", "name")),
    )


def test_seed_demo_adds_the_translations_once(client, launch_channels):
    call_command("seed_demo", "--password", "demo-pass-1", verbosity=0)
    first = rows()
    translations.seed()

    assert rows() == first
    products, categories = first
    assert len(products) >= 2 * len(translations.PRODUCTS)
    assert {language for _upc, language, *_ in products} == {"fr", "ar", "sw"}
    assert len(categories) == 3 * len(translations.CATEGORIES)

    egypt = client.get("/eg/").content.decode()
    assert "شاومي" in egypt and ">هواتف</a>" in egypt
    kenya_sw = client.get("/ke/sw/").content.decode()
    assert ">Simu</a>" in kenya_sw

"""A small catalogue with French and Arabic content, and a product with none."""

import pytest

from marketplace.localisation.models import CategoryTranslation, ProductTranslation
from tests import factories


@pytest.fixture
def translated_catalogue(launch_channels, official_store, phones):
    CategoryTranslation.objects.create(parent=phones, language="fr", name="Téléphones")
    CategoryTranslation.objects.create(parent=phones, language="ar", name="هواتف")
    phone = factories.product("Redmi Note 13", category=phones)
    phone.description = "A phone with a big screen."
    phone.save()
    ProductTranslation.objects.create(
        parent=phone, language="fr", title="Smartphone Redmi Note 13",
        description="Un téléphone au grand écran.",
    )
    ProductTranslation.objects.create(
        parent=phone, language="ar", title="هاتف ريدمي نوت 13", description="هاتف بشاشة كبيرة.",
    )
    untranslated = factories.product("Braided USB-C Cable", category=phones)
    for channel in launch_channels.values():
        factories.listing(phone, official_store, channel, "1000")
        factories.listing(untranslated, official_store, channel, "10")
    return {"phone": phone, "untranslated": untranslated, "category": phones}

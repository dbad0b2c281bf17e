"""Stores selling in channels: an official store everywhere, a local seller in NG."""

import pytest

from marketplace.stores.models import StoreProfile, StoreProfileTranslation
from tests import factories


@pytest.fixture
def accessories(db):
    return factories.category("Accessories")


@pytest.fixture
def shop(launch_channels, official_store, third_party_seller, phones, accessories):
    """Mi sells a phone everywhere and a charger in NG; Lagos Gadgets Hub sells the phone in NG."""
    ng, eg = launch_channels["ng"], launch_channels["eg"]
    phone = factories.product("Redmi Note 13", category=phones)
    charger = factories.product("Mi 33W Charger", category=accessories)
    tv = factories.product("Xiaomi TV A 43", category=accessories)
    prices = {"ng": "120000", "eg": "8000", "ke": "22000", "ci": "84000", "ma": "1700", "gh": "2700"}
    listings = {code: factories.listing(phone, official_store, launch_channels[code], price)
                for code, price in prices.items()}
    factories.listing(charger, official_store, ng, "15000")
    factories.listing(tv, official_store, eg, "9000")  # EG only
    local = factories.listing(phone, third_party_seller, ng, "119000")
    profile = StoreProfile.objects.create(
        partner=official_store, tagline="Innovation for everyone",
        description="Genuine Xiaomi devices with warranty.",
    )
    StoreProfileTranslation.objects.create(
        parent=profile, language="fr", tagline="L’innovation pour tous",
        description="Des appareils Xiaomi authentiques, garantis.",
    )
    return {
        "ng": ng, "eg": eg, "phone": phone, "charger": charger, "tv": tv,
        "mi": official_store, "lagos": third_party_seller, "profile": profile,
        "mi_listings": listings, "lagos_listing": local,
        "phones": phones, "accessories": accessories,
    }

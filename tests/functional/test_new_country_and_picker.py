"""Adding a country is data only; the picker lists every country in its own language."""

from datetime import date
from decimal import Decimal

import pytest

from marketplace.channels.models import Channel, TaxComponent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "currency", "language", "tz", "rate", "price", "shown", "lang_attr"),
    [
        ("SN", "XOF", "fr", "Africa/Dakar", "0.18", "84746", "100\u202f000\xa0F\u202fCFA", "fr-SN"),
        ("UG", "UGX", "en", "Africa/Kampala", "0.18", "338983", "USh400,000", "en-UG"),
    ],
)
def test_a_new_country_is_browsable_once_its_row_exists(
    client, launch_channels, country, currency, language, tz, rate, price, shown, lang_attr
):
    channel = Channel.objects.create(
        country=country, currency=currency, default_language=language, timezone=tz
    )
    TaxComponent.objects.create(channel=channel, name="VAT", rate=Decimal(rate), starts_on=date(2020, 1, 1))
    store = factories.official_store("Xiaomi", channels=[channel])
    phone = factories.product("Redmi Note 13")
    factories.listing(phone, store, channel, price)

    home = client.get(f"/{country.lower()}/")
    detail = client.get(f"/{country.lower()}/catalogue/redmi-note-13_{phone.pk}/")

    assert home.status_code == 200 and detail.status_code == 200
    assert f'lang="{lang_attr}"' in home.content.decode()
    assert shown in detail.content.decode()
    assert f'data-country="{country.lower()}"' in client.get("/").content.decode()


def test_picker_names_each_country_in_its_own_language_with_its_currency(client, launch_channels):
    content = client.get("/").content.decode()

    for name in ["Nigeria", "مصر", "Kenya", "Côte d’Ivoire", "Maroc", "Ghana"]:
        assert name in content
    for currency in ["NGN", "EGP", "KES", "XOF", "MAD", "GHS"]:
        assert f"({currency})" in content


def test_picker_offers_the_last_country_first(client, launch_channels):
    client.get("/ke/")

    content = client.get("/").content.decode()

    first = content.index('data-country="')
    assert content[first:].startswith('data-country="ke"')
    assert 'class="last-country"' in content


def test_picker_ignores_a_tampered_country_cookie(client, launch_channels):
    client.cookies["marketplace_channel"] = "<script>"

    response = client.get("/")

    assert response.status_code == 200
    assert 'class="last-country"' not in response.content.decode()


def test_an_invalid_channel_row_is_refused_with_clear_messages(launch_channels):
    from django.core.exceptions import ValidationError

    channel = Channel(
        country="SN", currency="ZZZ", default_language="xx", timezone="Mars/Olympus",
        other_languages=["fr", "de"],
    )
    with pytest.raises(ValidationError) as excinfo:
        channel.full_clean()

    errors = excinfo.value.message_dict
    assert "ZZZ is not a known ISO 4217 currency code." in errors["currency"]
    assert "Mars/Olympus is not a known time zone." in errors["timezone"]
    assert "Languages not offered by the marketplace: de." in errors["other_languages"]
    assert "default_language" in errors

"""``Channel.code`` reads the stored country code: no ``Country`` built per call."""

import pytest
from django_countries.fields import Country

from marketplace.channels.models import Channel


def test_code_is_the_stored_alpha2_lower_cased_without_building_a_country(monkeypatch):
    channel = Channel(country="CI", currency="XOF", default_language="fr", timezone="Africa/Abidjan")

    def refuse(*args, **kwargs):
        raise AssertionError("Channel.code built a Country")

    monkeypatch.setattr(Country, "__init__", refuse)
    assert channel.code == "ci"


@pytest.mark.parametrize("given", ["NGA", "566", Country("NG")])
def test_other_spellings_of_the_country_still_give_the_url_code(given):
    channel = Channel(country=given, currency="NGN", default_language="en", timezone="Africa/Lagos")
    assert channel.code == "ng"


def test_a_loaded_channel(channel_ngn):
    assert Channel.objects.get(pk=channel_ngn.pk).code == "ng"
    assert Channel.objects.only("pk").get(pk=channel_ngn.pk).code == "ng"  # deferred: loaded

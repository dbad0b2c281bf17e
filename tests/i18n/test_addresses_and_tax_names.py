"""An address and a tax named in the shopper's language, and readable right to left."""

import pytest
from django.template import Context, Template
from django.utils import translation
from oscar.apps.address.models import Country
from oscar.apps.order.models import ShippingAddress

from marketplace.channels.tax_names import tax_label
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = Template(
    "{% load localisation %}{% for line in address|address_lines %}<bdi>{{ line }}</bdi>|{% endfor %}"
)


@pytest.fixture
def cairo_address(launch_channels):
    egypt = Country.objects.get_or_create(
        iso_3166_1_a2="EG", defaults={"name": "Egypt", "printable_name": "Egypt"}
    )[0]
    return ShippingAddress(first_name="Ada", last_name="Obi", line1="12 Allen Avenue", line4="Cairo",
                           country=egypt, phone_number="+201001234567")


@pytest.mark.parametrize("language, country", [("ar", "مصر"), ("fr", "Égypte"), ("en", "Egypt")])
def test_the_address_names_its_country_in_the_shoppers_language(cairo_address, language, country):
    with translation.override(language):
        html = ADDRESS.render(Context({"address": cairo_address}))
    assert html == f"<bdi>Ada Obi</bdi>|<bdi>12 Allen Avenue</bdi>|<bdi>Cairo</bdi>|<bdi>{country}</bdi>|"


@pytest.mark.parametrize("name, language, label", [
    ("VAT", "ar", "ضريبة القيمة المضافة"),
    ("TVA", "ar", "ضريبة القيمة المضافة"),
    ("TVA", "fr", "TVA"),
    ("VAT", "fr", "TVA"),
    ("VAT", "sw", "Kodi ya VAT"),
    ("vat ", "en", "VAT"),
    ("NHIL", "ar", "NHIL"),  # a proper name: as the operator entered it
])
def test_value_added_tax_is_named_in_the_page_language(name, language, label):
    with translation.override(language):
        assert tax_label(name) == label


def test_the_arabic_basket_names_the_tax_in_arabic(client, launch_channels, official_store):
    from marketplace.channels.models import TaxComponent

    egypt = launch_channels["eg"]
    if not TaxComponent.objects.filter(channel=egypt, name="VAT").exists():
        TaxComponent.objects.create(channel=egypt, name="VAT", rate="0.14", starts_on="2020-01-01")
    phone = factories.product("Redmi Note 13")
    factories.listing(phone, official_store, egypt, "8771.93")
    client.post(f"/eg/basket/add/{phone.pk}/", {"quantity": 1})

    html = client.get("/eg/basket/").content.decode()

    assert "(ضريبة القيمة المضافة 14%)" in html and "VAT" not in html

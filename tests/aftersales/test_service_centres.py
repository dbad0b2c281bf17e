"""Authorised service centres per channel, nearest first with the shared locator."""

import pytest

from marketplace.aftersales.models import ServiceCentre, ServiceCentreTranslation
from marketplace.locator.cities import city_named

pytestmark = pytest.mark.django_db


def centre(channel, name, city, latitude, longitude):
    return ServiceCentre.objects.create(
        channel=channel, name=name, address="1 Main Road", city=city, latitude=latitude, longitude=longitude,
        phone="+254 20 700 1001", hours="Mon–Sat 9:00–18:00", services="Screen repairs, warranty claims",
    )


@pytest.fixture
def centres_ke(channel_kes, channel_ngn):
    mombasa = centre(channel_kes, "Mombasa Service Centre", "Mombasa", -4.0435, 39.6682)
    nairobi = centre(channel_kes, "Nairobi CBD Service Centre", "Nairobi", -1.2841, 36.8233)
    ServiceCentreTranslation.objects.create(parent=nairobi, language="sw", name="Kituo cha Huduma Nairobi",
                                            hours="Jumatatu–Jumamosi 9:00–18:00", services="Skrini, dhamana")
    lagos = centre(channel_ngn, "Ikeja Service Centre", "Lagos", 6.6018, 3.3515)
    return {"nairobi": nairobi, "mombasa": mombasa, "lagos": lagos}


def names_in_order(content, names):
    positions = {name: content.find(name) for name in names if name in content}
    return [name for name, _pos in sorted(positions.items(), key=lambda item: item[1])]


def test_the_page_lists_the_channels_centres_only(client, centres_ke):
    content = client.get("/ke/service-centres/").content.decode()

    assert "Nairobi CBD Service Centre" in content and "Mombasa Service Centre" in content
    assert "Ikeja Service Centre" not in content


def test_nearest_first_from_a_city(client, centres_ke):
    mombasa = city_named("KE", "Mombasa")

    content = client.get(f"/ke/service-centres/?city={mombasa.geoname_id}").content.decode()

    assert names_in_order(content, ["Nairobi CBD Service Centre", "Mombasa Service Centre"]) == [
        "Mombasa Service Centre", "Nairobi CBD Service Centre"
    ]
    assert "km away" in content


def test_nearest_first_from_a_shared_position(client, centres_ke):
    content = client.get("/ke/service-centres/?lat=-1.29&lng=36.82").content.decode()

    assert names_in_order(content, ["Nairobi CBD Service Centre", "Mombasa Service Centre"])[0] == (
        "Nairobi CBD Service Centre"
    )


def test_in_swahili(client, centres_ke):
    content = client.get("/ke/sw/service-centres/").content.decode()

    assert "Kituo cha Huduma Nairobi" in content and "Jumatatu–Jumamosi 9:00–18:00" in content


@pytest.mark.parametrize(
    ("query", "status"),
    [("lat=NaN&lng=36", 400), ("lat=1e3&lng=36", 400), ("lat=91&lng=0", 400), ("lat=-1.29", 400),
     ("city=99999999999", 404), ("city=%D9%A3", 404)],
)
def test_a_bad_location_is_a_4xx(client, centres_ke, query, status):
    assert client.get(f"/ke/service-centres/?{query}").status_code == status


def test_a_lagos_city_is_not_a_kenyan_origin(client, centres_ke):
    lagos = city_named("NG", "Lagos")

    assert client.get(f"/ke/service-centres/?city={lagos.geoname_id}").status_code == 404


def test_a_new_centre_shows_on_the_cached_page(client, centres_ke, channel_kes):
    assert "Kisumu Service Centre" not in client.get("/ke/service-centres/").content.decode()

    centre(channel_kes, "Kisumu Service Centre", "Kisumu", -0.0917, 34.7680)

    assert "Kisumu Service Centre" in client.get("/ke/service-centres/").content.decode()

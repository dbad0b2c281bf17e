"""A phone sold in four channels (one of them in two languages), and a spy on page renders."""

from dataclasses import dataclass

import pytest

from marketplace.localisation.models import CategoryTranslation, ProductTranslation
from marketplace.pagecache import pages
from tests import factories


@dataclass
class Shop:
    phones: object
    phone: object
    store: object
    seller: object
    listings: dict  # channel code -> the official store's listing
    seller_listing: object  # the third-party seller's, in NG

    def category_url(self, prefix):
        return f"/{prefix}/catalogue/category/phones_{self.phones.pk}/"

    def product_url(self, prefix):
        return f"/{prefix}/catalogue/{self.phone.slug}_{self.phone.pk}/"

    def urls(self, *prefixes):
        return [url for prefix in prefixes for url in (self.category_url(prefix), self.product_url(prefix))]


@pytest.fixture
def shop(launch_channels, official_store, third_party_seller):
    phones = factories.category("Phones")
    CategoryTranslation.objects.create(parent=phones, language="fr", name="Téléphones")
    CategoryTranslation.objects.create(parent=phones, language="sw", name="Simu")
    phone = factories.product("Redmi Note 13", category=phones)
    ProductTranslation.objects.create(parent=phone, language="fr", title="Redmi Note 13 (France)")
    prices = {"ng": "150000.00", "ci": "90000", "ma": "1500.00", "ke": "20000.00", "gh": "2000.00"}
    listings = {
        code: factories.listing(phone, official_store, launch_channels[code], price, stock=10)
        for code, price in prices.items()
    }
    seller_listing = factories.listing(phone, third_party_seller, launch_channels["ng"], "155000.00")
    return Shop(phones, phone, official_store, third_party_seller, listings, seller_listing)


@pytest.fixture
def renders(monkeypatch):
    """Paths rendered afresh (not served from the page cache) since the last ``clear()``."""
    rendered = []
    real = pages._render_skeleton

    def spy(request, render):
        rendered.append(request.path)
        return real(request, render)

    monkeypatch.setattr(pages, "_render_skeleton", spy)
    return rendered


@pytest.fixture
def superuser_client(client, django_user_model, launch_channels):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return admin_client


def fill(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url

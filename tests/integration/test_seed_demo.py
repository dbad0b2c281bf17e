"""seed_demo builds the demo marketplace, and running it twice changes nothing."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from oscar.apps.catalogue.models import Category, Product, ProductImage

from marketplace.partner.models import Partner, StockRecord

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "products": sorted(Product.objects.values_list("upc", "title", "structure")),
        "listings": sorted(
            StockRecord.objects.values_list(
                "product__upc", "partner__slug", "channel__country", "price", "num_in_stock", "price_currency"
            )
        ),
        "sellers": sorted(Partner.objects.values_list("slug", "is_official_store", "brand__slug")),
        "images": ProductImage.objects.count(),
    }


@pytest.fixture
def seeded(launch_channels):
    call_command("seed_demo", "--password", "s3cret-demo", verbosity=0)
    return snapshot()


def test_running_it_twice_gives_the_same_data(seeded):
    call_command("seed_demo", "--password", "s3cret-demo", verbosity=0)
    assert snapshot() == seeded


def test_the_catalogue_is_big_enough_and_local(seeded):
    assert Product.objects.browsable().count() >= 40
    assert Category.objects.count() >= 5
    assert {"Redmi Go 1GB+8GB", "Redmi Go 1GB+16GB"} <= set(
        Product.objects.filter(parent__upc="XM-REDMIGO").values_list("title", flat=True)
    )
    # Every listing is priced in its channel's currency, XOF in whole francs.
    for listing in StockRecord.objects.select_related("channel"):
        assert listing.price_currency == listing.channel.currency
        if listing.price_currency == "XOF":
            assert listing.price == listing.price.to_integral_value()
    assert seeded["images"] == Product.objects.filter(parent=None).count()


def test_official_stores_sell_everywhere_and_sellers_locally(seeded):
    mi = Partner.objects.get(slug="mi-official-store")
    assert (mi.name, mi.brand.name, mi.is_official_store) == ("Mi Official Store", "Xiaomi", True)
    assert mi.channels.count() == 6
    assert set(StockRecord.objects.filter(partner=mi).values_list("channel__country", flat=True)) == {
        "NG", "EG", "KE", "CI", "MA", "GH",
    }
    assert Partner.objects.filter(is_official_store=True, brand__slug="tecno").exists()
    for slug, country in [("lagos-gadgets-hub", "NG"), ("nairobi-phone-centre", "KE")]:
        seller = Partner.objects.get(slug=slug)
        assert not seller.is_official_store
        assert set(seller.stockrecords.values_list("channel__country", flat=True)) == {country}


def test_demo_accounts_take_the_given_password(seeded):
    admin = authenticate(username="admin", password="s3cret-demo")
    shopper = authenticate(username="shopper@example.com", password="s3cret-demo")

    assert admin is not None and admin.is_superuser
    assert shopper is not None and not shopper.is_staff
    assert authenticate(username="admin", password="marketplace-demo") is None


def test_shelf_prices_come_out_round_after_tax(seeded):
    """Demo prices are what shops print (XOF 119,400 or NGN 122,500), tax included."""
    from marketplace.partner.strategy import ChannelStrategy

    listings = StockRecord.objects.select_related("channel", "product").filter(partner__slug="mi-official-store")
    off = []
    for listing in listings:
        price = ChannelStrategy(listing.channel).fetch_for_product(listing.product, listing).price.incl_tax
        step = {"NGN": 100, "XOF": 100, "KES": 10, "EGP": 5}.get(listing.channel.currency, 1)
        if price % step:
            off.append((listing.channel.currency, listing.product.upc, price))
    assert not off, off[:5]


def test_the_demo_images_come_with_their_thumbnails(launch_channels, django_capture_on_commit_callbacks):
    from marketplace.thumbnails.services import has_renditions

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--password", "s3cret-demo", verbosity=0)

    images = list(ProductImage.objects.all())
    assert images and all(has_renditions(image) for image in images)

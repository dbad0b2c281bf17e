"""Every picture a storefront page shows is WebP (or AVIF) from the thumbnail pipeline, sized.

Product pictures, hero banners, store logos and banners, partner shops' photos: the page
names renditions (never the uploaded PNG or JPEG), with ``srcset`` and the box's
``width``/``height`` so nothing shifts while they load.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from oscar.apps.catalogue.models import ProductImage
from PIL import Image

from marketplace.demo.images import product_png, store_banner_png, store_logo_png
from marketplace.stores.models import HeroBanner, StoreProfile
from marketplace.thumbnails import renditions
from tests import factories
from tests.retail.conftest import make_shop

pytestmark = pytest.mark.django_db

PICTURE_FORMATS = (".webp", ".avif")


class Images(HTMLParser):
    """Each ``<img>`` and ``<source>``: its attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "source"):
            self.found.append((tag, dict(attrs)))


def images(html):
    parser = Images()
    parser.feed(html)
    return parser.found


def addresses(attrs):
    urls = [attrs["src"]] if attrs.get("src") else []
    for candidate in filter(None, (part.strip() for part in attrs.get("srcset", "").split(","))):
        urls.append(candidate.split()[0])
    return urls


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    settings.PAGECACHE_ENABLED = False


@pytest.fixture
def storefront(launch_channels, official_store, phones, django_capture_on_commit_callbacks):
    ng = launch_channels["ng"]
    with django_capture_on_commit_callbacks(execute=True):
        phone = factories.product("Redmi Note 13", category=phones)
        image = ProductImage(product=phone, display_order=0)
        image.original.save("redmi.png", ContentFile(product_png("Redmi Note 13", "Phones")), save=False)
        image.save()
        factories.listing(phone, official_store, ng, "150000.00")
        bare = factories.product("Redmi Cable", category=phones)  # no picture: the stand-in
        factories.listing(bare, official_store, ng, "5000.00")
        profile = StoreProfile(partner=official_store, tagline="Official")
        profile.logo.save("mi.png", ContentFile(store_logo_png("Mi", (255, 103, 0))), save=False)
        profile.banner.save("mi.png", ContentFile(store_banner_png((255, 103, 0))), save=False)
        profile.save()
        banner = HeroBanner(channel=ng, title="Redmi week", link="stores/")
        banner.image.save("hero.png", ContentFile(store_banner_png((166, 66, 0), size=(1200, 500))),
                          save=False)
        banner.save()
        shop = make_shop(ng, "Ikeja Phones", district="Ikeja")
        shop.photo.save("shop.png", ContentFile(store_banner_png((0, 90, 60), size=(900, 600))))
        factories.listing(factories.product("Spark 20", category=phones), shop.partner, ng, "100000.00")
    return {"phone": phone, "store": official_store, "shop": shop, "phones": phones}


def storefront_pages(client, storefront):
    phone, phones = storefront["phone"], storefront["phones"]
    client.post(f"/ng/basket/add/{phone.pk}/", {"quantity": 1})
    return [
        "/ng/",
        f"/ng/catalogue/category/{phones.slug}_{phones.pk}/",
        f"/ng/catalogue/{phone.slug}_{phone.pk}/",
        "/ng/search/?q=redmi",
        "/ng/stores/",
        f"/ng/store/{storefront['store'].slug}/",
        "/ng/basket/",
        "/ng/flash-sales/",
        "/ng/retailers/",
        f"/ng/r/{storefront['shop'].slug}/",
        "/ng/service-centres/",
    ]


def test_every_storefront_picture_is_a_sized_webp_or_avif_rendition(client, storefront):
    seen = set()
    for url in storefront_pages(client, storefront):
        response = client.get(url)
        assert response.status_code == 200, url
        for tag, attrs in images(response.content.decode()):
            if attrs.get("src", "").endswith("/qr.svg"):  # a code to scan, drawn as vectors
                continue
            for address in addresses(attrs):
                path = address.split("?")[0]
                assert path.endswith(PICTURE_FORMATS), f"{url}: <{tag}> shows {address}"
                assert path.startswith(("/media/thumbnails/", "/static/")), f"{url}: {address} is no rendition"
                seen.add(path)
            if tag == "img":
                assert attrs.get("width") and attrs.get("height"), f"{url}: {attrs} has no size"
                assert attrs.get("srcset"), f"{url}: {attrs} has no srcset"
    kinds = {re.match(r"/media/thumbnails/([^/]+)/", path).group(1) for path in seen if path.startswith("/media/")}
    # The pictures above were all shown: product cards and page, hero, logos, store banner, shop photo.
    assert {"x155", "400x400", "800x334-crop", "64x64-pad", "600x150-crop", "480x320-crop", "70x70"} <= kinds
    assert any(path.endswith(".webp") and "/static/" in path for path in seen)  # the stand-in


def test_the_renditions_the_pages_name_are_written_as_webp_of_the_right_size(storefront, settings):
    logo = renditions.picture(storefront["store"].profile.logo, "logo")
    banner = renditions.picture(storefront["store"].profile.banner, "store-banner")
    photo = renditions.picture(storefront["shop"].photo, "shop-photo")
    for picture, box in ((logo, (64, 64)), (banner, (600, 150)), (photo, (480, 320))):
        assert (picture.width, picture.height) == box
        for density in renditions.DENSITIES:
            relative = picture.srcset.split(", ")[density - 1].split()[0].removeprefix(settings.MEDIA_URL)
            with Image.open(f"{settings.MEDIA_ROOT}/{relative}") as made:
                assert made.format == "WEBP"
                assert made.size == (box[0] * density, box[1] * density)

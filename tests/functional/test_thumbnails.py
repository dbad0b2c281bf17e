"""Thumbnails are made when an image is saved, never while a storefront page renders."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.apps.catalogue.models import ProductImage
from PIL import Image

from marketplace.demo.images import product_png
from marketplace.thumbnails import renditions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    # What rendering costs: a page served from the page cache renders no card at all.
    settings.PAGECACHE_ENABLED = False


def add_image(product, django_capture_on_commit_callbacks, size=600):
    image = ProductImage(product=product, display_order=0)
    image.original.save(f"{product.slug}.png", ContentFile(product_png(product.title, "Phones", size)),
                        save=False)
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    return image


def catalogue(size, store, channel, category, capture):
    products = []
    for n in range(size):
        product = factories.product(f"Gadget {category.name} {n}", category=category)
        factories.listing(product, store, channel, f"{100 + n}.00")
        add_image(product, capture, size=200)
        products.append(product)
    return products


def test_saving_an_image_writes_every_size_as_webp(
    official_store, channel_ngn, phones, django_capture_on_commit_callbacks
):
    product = factories.product("Redmi Note", category=phones)

    image = add_image(product, django_capture_on_commit_callbacks)

    card = renditions.SIZES["x155"]
    with default_storage.open(renditions.rendition_path(image.original.name, card, 1)) as f:
        one = Image.open(f)
        assert (one.format, one.height) == ("WEBP", 155)
    with default_storage.open(renditions.rendition_path(image.original.name, card, 2)) as f:
        assert Image.open(f).height == 310
    for size in renditions.SIZES.values():
        for density in renditions.DENSITIES:
            assert default_storage.exists(renditions.rendition_path(image.original.name, size, density))


def test_a_small_image_is_never_upscaled(phones, django_capture_on_commit_callbacks):
    image = add_image(factories.product("Tiny", category=phones), django_capture_on_commit_callbacks,
                      size=120)

    path = renditions.rendition_path(image.original.name, renditions.SIZES["400x400"], 2)
    with default_storage.open(path) as f:
        assert Image.open(f).size == (120, 120)


class Spy:
    """Counts calls to the shared cache while a page renders."""

    def __init__(self):
        self.calls = 0

    def wrap(self, method):
        def counted(*args, **kwargs):
            self.calls += 1
            return method(*args, **kwargs)

        return counted


def render_listing(client, url):
    client.get(url)  # per-process warm-up
    spy = Spy()
    with (
        mock.patch.object(cache, "get", spy.wrap(cache.get)),
        mock.patch.object(cache, "get_many", spy.wrap(cache.get_many)),
        mock.patch("sorl.thumbnail.base.ThumbnailBackend.get_thumbnail",
                   side_effect=AssertionError("sorl made a thumbnail in a request")),
        mock.patch("marketplace.thumbnails.renditions.make_all",
                   side_effect=AssertionError("a thumbnail was made in a request")),
        mock.patch("marketplace.thumbnails.tasks.make_renditions.delay",
                   side_effect=AssertionError("a thumbnail was queued by a request")),
    ):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), spy.calls


def test_a_listing_page_makes_no_thumbnail_and_asks_no_store_per_card(
    client, official_store, channel_ngn, django_capture_on_commit_callbacks
):
    calls = []
    for size in (3, 15):
        category = factories.category(f"Cards {size}")
        products = catalogue(size, official_store, channel_ngn, category,
                             django_capture_on_commit_callbacks)
        html, cache_calls = render_listing(
            client, f"/ng/catalogue/category/{category.slug}_{category.pk}/"
        )
        calls.append(cache_calls)
        image = products[0].primary_image().original.name
        one = renditions.rendition_path(image, renditions.SIZES["x155"], 1)
        two = renditions.rendition_path(image, renditions.SIZES["x155"], 2)
        assert f'src="/media/{one}" srcset="/media/{one} 1x, /media/{two} 2x"' in html

    assert calls[0] == calls[1]


def test_the_product_page_makes_no_thumbnail(
    client, official_store, channel_ngn, phones, django_capture_on_commit_callbacks
):
    (product,) = catalogue(1, official_store, channel_ngn, phones, django_capture_on_commit_callbacks)

    html, _calls = render_listing(client, f"/ng/catalogue/{product.slug}_{product.pk}/")

    path = renditions.rendition_path(
        product.primary_image().original.name, renditions.SIZES["400x400"], 1
    )
    assert f'src="/media/{path}"' in html


def test_a_product_without_an_image_shows_the_missing_picture_without_io(
    client, official_store, channel_ngn, phones
):
    product = factories.product("No picture", category=phones)
    factories.listing(product, official_store, channel_ngn, "10.00")

    with mock.patch("os.path.exists", side_effect=AssertionError("a file was looked for")):
        html, _calls = render_listing(client, f"/ng/catalogue/category/phones_{phones.pk}/")

    assert 'src="/static/marketplace/img/image-not-found.webp"' in html  # WebP like every picture


def test_a_thumbnail_not_made_yet_is_answered_by_the_original(
    client, phones, django_capture_on_commit_callbacks
):
    product = factories.product("Late", category=phones)
    image = ProductImage(product=product, display_order=0)
    image.original.save("late.png", ContentFile(product_png("Late", "Phones")), save=False)
    image.save()  # committed later: no renditions yet
    path = renditions.rendition_path(image.original.name, renditions.SIZES["x155"], 1)

    response = client.get(f"/media/{path}")

    assert response.status_code == 302
    assert response["Location"] == f"/media/{image.original.name}"
    assert client.get("/media/thumbnails/x155/1x/nothing.png.webp").status_code == 404

"""Renditions of a product image or a banner, made after the image is saved."""

from celery import shared_task
from oscar.apps.catalogue.models import ProductImage

from . import renditions


@shared_task(name="thumbnails.make_renditions", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def make_renditions(image_id: int) -> int:
    """Write every storefront size of the image ``image_id``; the number of files written."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or not image.original:
        return 0
    return len(renditions.make_all(image.original.name))


@shared_task(name="thumbnails.make_banner_renditions", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def make_banner_renditions(image_path: str) -> int:
    """Write the banner sizes of the stored image ``image_path`` (idempotent)."""
    if not image_path or not renditions.default_storage.exists(image_path):
        return 0
    return len(renditions.make_all(image_path, sizes=renditions.BANNER_SIZES.values()))


@shared_task(name="thumbnails.make_picture_renditions", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def make_picture_renditions(image_path: str, kind: str) -> int:
    """Write the rendition of the stored image ``image_path`` as a ``renditions.PICTURES`` kind."""
    if not image_path or kind not in renditions.PICTURES or not renditions.default_storage.exists(image_path):
        return 0
    return len(renditions.make_all(image_path, sizes=[renditions.PICTURES[kind]]))

"""Making renditions: queued after the image's row is committed, or made now (tasks)."""

from django.core.files.storage import default_storage
from django.db import transaction

from . import renditions


def queue_renditions(image_id: int) -> None:
    from .tasks import make_renditions

    transaction.on_commit(lambda: make_renditions.delay(image_id))


def queue_banner_renditions(image_path: str) -> None:
    from .tasks import make_banner_renditions

    transaction.on_commit(lambda: make_banner_renditions.delay(image_path))


def has_renditions(image) -> bool:
    """Whether the image's renditions were written (one file stands for the set)."""
    size = next(iter(renditions.SIZES.values()))
    path = renditions.rendition_path(image.original.name, size, renditions.DENSITIES[-1])
    return default_storage.exists(path)


def ensure_renditions(image) -> None:
    """Queue the renditions of an image saved before they existed (the demo seed's)."""
    if image.original and not has_renditions(image):
        queue_renditions(image.pk)

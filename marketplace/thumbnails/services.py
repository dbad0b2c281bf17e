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


def queue_picture_renditions(image_path: str, kind: str) -> None:
    """A store logo's or banner's, a partner shop photo's rendition (``renditions.PICTURES``)."""
    from .tasks import make_picture_renditions

    transaction.on_commit(lambda: make_picture_renditions.delay(image_path, kind))


def make_missing_now(image_path: str, sizes) -> int:
    """Write the renditions of ``image_path`` at ``sizes`` that are not there yet, in this
    process: for the demo seed, which runs with no Celery worker to do it."""
    missing = [
        size for size in sizes
        if not default_storage.exists(renditions.rendition_path(image_path, size, renditions.DENSITIES[-1]))
    ]
    if not missing or not default_storage.exists(image_path):
        return 0
    return len(renditions.make_all(image_path, sizes=missing))


def has_renditions(image) -> bool:
    """Whether the image's renditions were written (one file stands for the set)."""
    size = next(iter(renditions.SIZES.values()))
    path = renditions.rendition_path(image.original.name, size, renditions.DENSITIES[-1])
    return default_storage.exists(path)


def ensure_renditions(image) -> None:
    """Queue the renditions of an image saved before they existed (the demo seed's)."""
    if image.original and not has_renditions(image):
        queue_renditions(image.pk)

"""
Product image sizes the storefront shows, made once when the image is saved.

A page never makes a thumbnail, nor asks a key-value store whether one exists:
the address of each size is a pure function of the image's path
(``thumbnails/<size>/<density>x/<path>.webp``), so a card builds its
``src``/``srcset`` with no I/O at all. The files are written by a Celery task
after the image is saved (``tasks.make_renditions``), and the demo seed
makes them too. A file not written yet is answered by the original image: the
media route redirects to it (``views.rendition_or_original``), as a web server
in front does with a ``try_files`` fallback.
"""

import io
import posixpath
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.templatetags.static import static
from PIL import Image, ImageOps

ROOT = "thumbnails"
FORMAT = "webp"
# 1x and 2x, for ``srcset`` on high-density screens.
DENSITIES = (1, 2)
QUALITY = 82


@dataclass(frozen=True)
class Size:
    """A box to fit the image in (Oscar's geometry: ``"400x400"``, ``"x155"``)."""

    spec: str
    width: int | None
    height: int | None
    crop: bool = False
    # Fitted whole in the box and centred on a transparent ground: a logo of any shape,
    # exactly the box's size (its ``width``/``height`` known to the page: no layout shift).
    pad: bool = False

    @classmethod
    def parse(cls, spec: str, crop: bool = False, pad: bool = False) -> "Size":
        width, _, height = spec.partition("x")
        return cls(spec, int(width) if width else None, int(height) if height else None, crop, pad)

    @property
    def key(self) -> str:
        return f"{self.spec}-crop" if self.crop else f"{self.spec}-pad" if self.pad else self.spec


# Every size a storefront template asks for (ours and Oscar's basket, checkout and
# order pages); another size gets the original image.
SIZES = {
    size.key: size
    for size in (
        Size.parse("x155"), Size.parse("400x400"), Size.parse("440x400"),
        Size.parse("200x200"), Size.parse("100x100"), Size.parse("70x70"),
        Size.parse("65x55", crop=True),
    )
}


# Home-page banners (stores.HeroBanner): wide, cropped, their own set.
BANNER_SIZES = {size.key: size for size in (Size.parse("800x334", crop=True),)}

# The other pictures of the storefront, one size each, by what they are: a store's logo
# (home page, store list and page), a store's banner (4:1 across its page) and a partner
# shop's photo. Made when their row is saved (``stores``/``retail`` receivers).
PICTURES = {
    "logo": Size.parse("64x64", pad=True),
    "store-banner": Size.parse("600x150", crop=True),
    "shop-photo": Size.parse("480x320", crop=True),
}
PICTURE_SIZES = {size.key: size for size in PICTURES.values()}


def size_for(spec: str, crop=None) -> Size | None:
    key = f"{spec}-crop" if crop else spec
    return SIZES.get(key) or BANNER_SIZES.get(key) or PICTURE_SIZES.get(key)


def every_size():
    return [*SIZES.values(), *BANNER_SIZES.values(), *PICTURE_SIZES.values()]


def rendition_path(image_path: str, size: Size, density: int = 1) -> str:
    return posixpath.join(ROOT, size.key, f"{density}x", f"{image_path}.{FORMAT}")


def original_path(path: str) -> str | None:
    """The image a rendition path was made from (the inverse of ``rendition_path``)."""
    parts = path.split("/", 3)
    if len(parts) != 4 or parts[0] != ROOT or not parts[3].endswith(f".{FORMAT}"):
        return None
    return parts[3][: -len(FORMAT) - 1]


@dataclass(frozen=True)
class Rendition:
    """What a template shows: ``url`` and ``srcset`` (Oscar's thumbnail has ``url`` too).

    ``srcset`` names the densities (``1x``, ``2x``: an image of a fixed size); ``wsrcset``
    the same files by width, for an image as wide as the screen (with ``sizes``);
    ``width``/``height``: the 1x box, for the ``<img>`` attributes."""

    url: str
    srcset: str = ""
    wsrcset: str = ""
    width: int | None = None
    height: int | None = None


MISSING_IMAGE = "marketplace/img/image-not-found.webp"


@lru_cache(maxsize=1)
def missing_image() -> Rendition:
    # Oscar's "image not found" picture made WebP once (it ships a JPEG), from the static
    # files (hashed in production).
    url = static(MISSING_IMAGE)
    return Rendition(url, f"{url} 1x", f"{url} 400w", 400, 400)


def rendition(image_path: str | None, spec: str, crop=None) -> Rendition:
    """The URLs of ``image_path`` at ``spec``: no file is opened, no cache asked."""
    if not image_path:
        return missing_image()
    size = size_for(spec, crop)
    if size is None:
        return Rendition(default_storage.url(image_path))
    return _rendition_of(image_path, size)


def picture(image, kind: str) -> Rendition:
    """The rendition of a stored image (a file field or its path) as a ``PICTURES`` kind."""
    image_path = getattr(image, "name", image) or None
    return _rendition_of(image_path, PICTURES[kind]) if image_path else missing_image()


def _rendition_of(image_path: str, size: Size) -> Rendition:
    urls = [(d, default_storage.url(rendition_path(image_path, size, d))) for d in DENSITIES]
    return Rendition(
        urls[0][1], ", ".join(f"{url} {d}x" for d, url in urls),
        ", ".join(f"{url} {size.width * d}w" for d, url in urls) if size.width else "",
        size.width, size.height,
    )


def _resized(image: Image.Image, size: Size, density: int) -> Image.Image:
    width = size.width * density if size.width else None
    height = size.height * density if size.height else None
    if size.crop and width and height:
        return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    if size.pad and width and height:
        ground = image if image.mode == "RGBA" else image.convert("RGBA")
        return ImageOps.pad(ground, (width, height), Image.Resampling.LANCZOS, color=(0, 0, 0, 0))
    box = (width or image.width * 10, height or image.height * 10)
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)  # never upscales (Oscar's upscale=False)
    return copy


def make_all(image_path: str, storage=default_storage, sizes=None) -> list[str]:
    """Write every size of ``image_path`` (idempotent: the same files again).

    ``sizes``: the product sizes unless given (``BANNER_SIZES`` for a banner)."""
    with storage.open(image_path, "rb") as source:
        image = ImageOps.exif_transpose(Image.open(source))
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    written = []
    for size in (SIZES.values() if sizes is None else sizes):
        for density in DENSITIES:
            buffer = io.BytesIO()
            _resized(image, size, density).save(buffer, format=FORMAT, quality=QUALITY)
            path = rendition_path(image_path, size, density)
            if storage.exists(path):
                storage.delete(path)
            written.append(storage.save(path, ContentFile(buffer.getvalue())))
    return written


def delete_all(image_path: str, storage=default_storage) -> None:
    for size in every_size():
        for density in DENSITIES:
            path = rendition_path(image_path, size, density)
            if storage.exists(path):
                storage.delete(path)

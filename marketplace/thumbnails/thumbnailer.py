"""Oscar's thumbnailer seam (``OSCAR_THUMBNAILER``) answered by the saved renditions.

Oscar's ``{% oscar_thumbnail %}`` (its basket, checkout and order templates)
asks sorl-thumbnail, which reads its key-value store and may make the file
inside the request. This one builds the URL from the path (``renditions``).
"""

from django.conf import settings
from oscar.core.thumbnails import AbstractThumbnailer

from . import renditions


class PregeneratedThumbnailer(AbstractThumbnailer):
    def generate_thumbnail(self, source, **options):
        name = getattr(source, "name", source) or None
        if name == settings.OSCAR_MISSING_IMAGE_URL:
            name = None
        return renditions.rendition(name, options.get("size", ""), options.get("crop"))

    def delete_thumbnails(self, source):
        name = getattr(source, "name", None)
        if name:
            renditions.delete_all(name)

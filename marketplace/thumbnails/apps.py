from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThumbnailsConfig(AppConfig):
    name = "marketplace.thumbnails"
    verbose_name = _("Thumbnails")

    def ready(self):
        from . import receivers  # noqa: F401  (renditions made when an image is saved)

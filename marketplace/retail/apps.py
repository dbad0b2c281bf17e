from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetailConfig(AppConfig):
    name = "marketplace.retail"
    label = "retail"
    verbose_name = _("Partner retailers")

    def ready(self):
        from . import receivers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "marketplace.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self):
        from marketplace.partner import dependent_lines

        from . import receivers  # noqa: F401
        from .lines import WarrantyLines

        dependent_lines.register(WarrantyLines())

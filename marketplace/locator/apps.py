from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocatorConfig(AppConfig):
    name = "marketplace.locator"
    label = "locator"
    verbose_name = _("Locator")

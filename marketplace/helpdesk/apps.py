from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "marketplace.helpdesk"
    label = "helpdesk"
    verbose_name = _("Customer service")

    def ready(self):
        from . import receivers  # noqa: F401

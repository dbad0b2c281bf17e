from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExclusivesConfig(AppConfig):
    name = "marketplace.exclusives"
    label = "exclusives"
    verbose_name = _("Exclusive listings")

    def ready(self):
        # The tasks listen to the services' signals (services never import tasks).
        from . import tasks  # noqa: F401

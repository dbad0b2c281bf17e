from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "marketplace.delivery"
    label = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        from . import receivers  # noqa: F401

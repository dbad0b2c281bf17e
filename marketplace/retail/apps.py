from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetailConfig(AppConfig):
    name = "marketplace.retail"
    label = "retail"
    verbose_name = _("Partner retailers")

    def ready(self):
        from marketplace.messaging.routing import register_router

        from . import receivers  # noqa: F401
        from .by_message import route_to_shop

        # Texts and WhatsApp messages to a shop's number are orders for the shop.
        register_router(route_to_shop)

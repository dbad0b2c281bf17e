from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashSalesConfig(AppConfig):
    name = "marketplace.flashsales"
    label = "flashsales"
    verbose_name = _("Flash sales")

    def ready(self):
        # The strategy (partner, a lower package) asks registered providers for the
        # terms of a basket line; flash sales provide a reservation's sale price.
        from marketplace.partner import sale_terms

        from . import receivers  # noqa: F401  (order placement turns reservations into orders)
        from .terms import reservation_terms

        sale_terms.register(reservation_terms)

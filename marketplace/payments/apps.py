from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "marketplace.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from marketplace.backoffice import audit

        from . import receivers  # noqa: F401  (cache invalidation)
        from .models import PaymentOption

        # The Pay-on-Delivery cap decides who may pay cash: who changed it, when, from what.
        audit.track(
            PaymentOption, fields=("method", "provider", "max_order_total", "is_active"),
            scope=lambda option: {"channel_id": option.channel_id},
        )

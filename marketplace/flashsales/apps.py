from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashSalesConfig(AppConfig):
    name = "marketplace.flashsales"
    label = "flashsales"
    verbose_name = _("Flash sales")

    def ready(self):
        # The strategy (partner, a lower package) asks registered providers for the
        # terms of a basket line; flash sales provide a reservation's sale price.
        from marketplace.checkout.guards import register_guest_guard
        from marketplace.partner import sale_terms

        from . import receivers  # noqa: F401  (order placement turns reservations into orders)
        from .terms import reservation_terms

        sale_terms.register(reservation_terms)
        # A guest's claim is ordered only under an e-mail verified in the session, on
        # whichever checkout places it (checkout never imports flash sales).
        from .verification import unverified_guest_refusal

        register_guest_guard(unverified_guest_refusal)
        self._audit()

    def _audit(self):
        from marketplace.backoffice import audit

        from .models import Sale, SaleItem

        def sale_scope(sale):
            return {"brand_id": sale.seller.brand_id, "seller_id": sale.seller_id}

        audit.track(Sale, fields=("name", "seller", "starts_at", "ends_at", "reservation_minutes", "status"),
                    scope=sale_scope)
        audit.track(SaleItem, fields=("listing", "sale_price", "units", "per_shopper_limit", "per_order_limit"),
                    scope=lambda item: {**sale_scope(item.sale), "channel_id": item.listing.channel_id})

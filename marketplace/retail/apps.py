from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetailConfig(AppConfig):
    name = "marketplace.retail"
    label = "retail"
    verbose_name = _("Partner retailers")

    def ready(self):
        from marketplace.basket.hooks import register_add_check
        from marketplace.messaging.routing import register_router

        from . import receivers  # noqa: F401
        from .by_message import route_to_shop
        from .keeping import refuse_other_sellers

        # A shop kept for the visit takes only its own items into the basket.
        register_add_check(refuse_other_sellers)

        # Texts and WhatsApp messages to a shop's number are orders for the shop.
        register_router(route_to_shop)
        self._audit()

    def _audit(self):
        """Who changed a shop, a zone, the policy or a shop's order (admin, scripts acting
        for someone): the back office's audit trail, scoped like the objects."""
        from marketplace.backoffice import audit

        from .models import (
            OrderRequest,
            Retailer,
            RetailerInvitation,
            RetailOrder,
            RetailPolicy,
            Zone,
        )

        def shop_scope(retailer):
            return {"channel_id": retailer.channel_id, "seller_id": retailer.partner_id}

        audit.track(
            Retailer, scope=shop_scope,
            fields=("name", "slug", "address", "city", "district", "latitude", "longitude",
                    "phone", "whatsapp", "photo", "delivery_radius_km", "delivery_districts",
                    "cash_on_delivery_limit", "is_active"),
        )
        audit.track(
            Zone, scope=lambda zone: {"channel_id": zone.channel_id},
            fields=("city", "district", "status", "starts_at", "delivery_from", "delivery_until",
                    "shop_pickup_allowed"),
        )
        audit.track(
            RetailPolicy, scope=lambda policy: {"channel_id": policy.channel_id},
            fields=("answer_within_minutes", "delivery_code_tries"),
        )
        # A shop's answers and its wrong delivery codes; the order's own moves are the
        # order's audit (payments.transitions).
        audit.track(RetailOrder, fields=("status", "code_tries"),
                    scope=lambda retail_order: shop_scope(retail_order.retailer))
        audit.track(OrderRequest, fields=("status", "order"),
                    scope=lambda request: shop_scope(request.retailer))
        audit.track(RetailerInvitation, fields=("channel", "email", "shop_name"),
                    scope=lambda invitation: {"channel_id": invitation.channel_id})

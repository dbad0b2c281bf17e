"""The order confirmation e-mail, in the shopper's language, sent once."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import NoReverseMatch, reverse
from oscar.apps.communication.models import CommunicationEventType
from oscar.apps.order.utils import OrderDispatcher

from marketplace.order.models import CommunicationEvent


def scheme_of() -> str:
    return "https" if settings.SESSION_COOKIE_SECURE else "http"


def send_order_placed_email(order) -> bool:
    """Send the confirmation unless it was sent already (tasks may run twice).

    An order with no e-mail address (placed by text message) has nothing to send to.
    """
    if not order.email:
        return False
    code = OrderDispatcher.ORDER_PLACED_EVENT_CODE
    # Oscar records a sent e-mail only when its event type exists; with blank
    # templates it still uses its default e-mail templates.
    CommunicationEventType.objects.get_or_create(
        code=code, defaults={"name": "Order placed", "category": CommunicationEventType.ORDER_RELATED}
    )
    if CommunicationEvent.objects.filter(order=order, event_type__code=code).exists():
        return False
    context = {"user": order.user, "order": order, "lines": order.lines.all()}
    try:
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse(
                "customer:anon-order",
                kwargs={"order_number": order.number, "hash": order.verification_hash()},
            )
    except NoReverseMatch:
        path = None
    if path:
        scheme = scheme_of()
        context["status_path"] = path
        context["status_url"] = f"{scheme}://{Site.objects.get_current().domain}{path}"
    try:
        from .invoices import invoice_path

        context["invoice_url"] = f"{scheme_of()}://{Site.objects.get_current().domain}{invoice_path(order)}"
    except NoReverseMatch:
        pass  # outside a storefront (no channel in the URL): no invoice link
    OrderDispatcher().send_order_placed_email_for_user(order, context)
    return True

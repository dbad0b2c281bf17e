"""The order page's after-sales part: returns, refunds and help requests about the order."""

from django import template
from django.urls import reverse

from marketplace.helpdesk import return_rules, selectors
from marketplace.order.invoices import invoice_path

register = template.Library()


@register.inclusion_tag("helpdesk/includes/order_aftercare.html", takes_context=True)
def order_aftercare(context, order, guest_hash=None):
    """``guest_hash``: the order's signed hash of a guest's order page, where their returns are asked."""
    request = context["request"]
    if guest_hash:
        return_action = reverse("helpdesk:guest-return", kwargs={"number": order.number, "hash": guest_hash})
    else:
        return_action = reverse("helpdesk:return", kwargs={"number": order.number})
    return {
        "return_action": return_action,
        "order": order, "request": request, "csrf_token": context.get("csrf_token"),
        **selectors.order_aftercare(order, today=request.channel.today()),
        "REQUESTED": return_rules.REQUESTED,
        "invoice_path": invoice_path(order),
    }

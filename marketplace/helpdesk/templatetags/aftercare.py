"""The order page's after-sales part: returns, refunds and help requests about the order."""

from django import template

from marketplace.helpdesk import return_rules, selectors
from marketplace.order.invoices import invoice_path

register = template.Library()


@register.inclusion_tag("helpdesk/includes/order_aftercare.html", takes_context=True)
def order_aftercare(context, order):
    request = context["request"]
    return {
        "order": order, "request": request, "csrf_token": context.get("csrf_token"),
        **selectors.order_aftercare(order, today=request.channel.today()),
        "REQUESTED": return_rules.REQUESTED,
        "invoice_path": invoice_path(order),
    }

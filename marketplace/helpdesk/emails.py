"""An agent's reply, and the decision on a return, e-mailed to the shopper in their language, once."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront

from . import return_rules
from .models import HelpMessage, ReturnRequest
from .services import access_token


def reply_email_send(*, message_id: int) -> bool:
    with transaction.atomic():
        message = (
            HelpMessage.objects.select_for_update(of=("self",)).select_related("request__channel")
            .filter(pk=message_id, from_agent=True, emailed_at__isnull=True).first()
        )
        if message is None:
            return False  # sent already (a task run twice), or not an agent's
        request = message.request
        with storefront(request.channel, request.language):
            path = reverse("helpdesk:request", kwargs={"reference": request.reference,
                                                      "token": access_token(request)})
            scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
            context = {"request_": request, "message": message,
                       "url": f"{scheme}://{Site.objects.get_current().domain}{path}"}
            subject = _("Customer service: reply to your request %(reference)s") % {"reference": request.reference}
            body = render_to_string("helpdesk/emails/reply.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.email])
        message.emailed_at = timezone.now()
        message.save(update_fields=["emailed_at"])
    return True


def return_decision_send(*, return_id: int) -> bool:
    """E-mail the shopper that their return is approved (and what comes back) or refused (and why)."""
    from marketplace.channels.money import format_money
    from marketplace.payments.refund_emails import order_url

    from .returns import refund_due

    with transaction.atomic():
        item = (ReturnRequest.objects.select_for_update(of=("self",)).select_related("order__channel", "line")
                .filter(pk=return_id).first())
        if (item is None or item.status not in (return_rules.APPROVED, return_rules.REFUSED)
                or item.notified == item.status):
            return False  # told already, or moved on since (the refund's e-mail tells the rest)
        order = item.order
        if order.email:
            with storefront(order.channel, item.language):
                approved = item.status == return_rules.APPROVED
                context = {"item": item, "order": order, "approved": approved, "url": order_url(order),
                           "amount": format_money(refund_due(item), order.currency, item.language,
                                                  order.channel.country.code)}
                if approved:
                    subject = _("Your return %(reference)s is approved") % {"reference": item.reference}
                else:
                    subject = _("Your return %(reference)s is refused") % {"reference": item.reference}
                body = render_to_string("helpdesk/emails/return_decision.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])
        item.notified = item.status
        item.save(update_fields=["notified"])
    return True

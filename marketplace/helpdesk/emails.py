"""An agent's reply, e-mailed to the shopper in the request's language, once."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront

from .models import HelpMessage
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

"""Telling the shopper how their refund ended (refunded, or failed), in the order's language, once.

The order's language is the one its shopper asked for the return in; a refund
made otherwise (by an operator) is told in the channel's default language.
"""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront

from .models import Refund

TOLD = frozenset({Refund.Status.SUCCEEDED, Refund.Status.FAILED})


def refund_language(refund: Refund) -> str:
    try:
        return refund.return_request.language
    except ObjectDoesNotExist:
        return refund.order.channel.default_language


def order_url(order) -> str:
    """The absolute address of the order's page: the shopper's, or a guest's (with its signed hash)."""
    try:
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse("customer:anon-order",
                           kwargs={"order_number": order.number, "hash": order.verification_hash()})
    except NoReverseMatch:
        return ""
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def refund_outcome_queue(refund: Refund) -> None:
    """After commit, e-mail the refund's outcome (call where its status became final)."""
    from .tasks import send_refund_outcome

    refund_id = refund.pk
    transaction.on_commit(lambda: send_refund_outcome.delay(refund_id))


def refund_outcome_send(*, refund_id: int) -> bool:
    """E-mail the shopper the refund's outcome; False when told already or there is nothing to tell."""
    with transaction.atomic():
        refund = (Refund.objects.select_for_update(of=("self",)).select_related("order__channel")
                  .filter(pk=refund_id).first())
        if refund is None or refund.status not in TOLD or refund.outcome_emailed == refund.status:
            return False
        order = refund.order
        if order.email:
            language = refund_language(refund)
            with storefront(order.channel, language):
                context = {"refund": refund, "order": order, "amount": refund.format_amount(language),
                           "succeeded": refund.status == Refund.Status.SUCCEEDED, "url": order_url(order)}
                if context["succeeded"]:
                    subject = _("Order %(number)s: your refund of %(amount)s is on its way") % {
                        "number": order.number, "amount": context["amount"]}
                else:
                    subject = _("Order %(number)s: your refund of %(amount)s did not go through") % {
                        "number": order.number, "amount": context["amount"]}
                body = render_to_string("payments/emails/refund_outcome.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])
        refund.outcome_emailed = refund.status
        refund.save(update_fields=["outcome_emailed"])
    return True

"""What the shopper (and the shop) is told at each step of a shop's order, in the language
the shopper ordered in (the shop: its channel's): by e-mail, and by text message or
WhatsApp through ``marketplace.messaging``.

Each message once: the e-mail by ``ShopperNotice``, the texts by their idempotency key.
"""

import logging

from babel.dates import format_time
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront
from marketplace.channels.money import format_money
from marketplace.messaging.phones import InvalidNumber, normalise
from marketplace.messaging.services import message_queue

from .models import OrderRequest, RetailOrder, ShopperNotice

logger = logging.getLogger(__name__)


def message_for(retail_order, event: str) -> str:
    shop, number = retail_order.retailer.name, retail_order.order.number
    texts = {
        "placed": _("Order %(number)s went to %(shop)s. Your delivery code: %(code)s. Give it only "
                    "when you receive your order."),
        "accepted": _("%(shop)s accepted your order %(number)s."),
        "declined": _("%(shop)s could not take your order %(number)s. It is cancelled; any "
                      "payment is voided."),
        "expired": _("%(shop)s did not answer your order %(number)s in time. It is cancelled; "
                     "any payment is voided."),
        "out": _("Your order %(number)s is on its way from %(shop)s."),
        "delivered": _("Your order %(number)s from %(shop)s is delivered. Thank you!"),
    }
    return texts[event] % {"number": number, "shop": shop, "code": retail_order.delivery_code}


def order_path(order) -> str | None:
    try:
        if order.user_id:
            return reverse("customer:order", kwargs={"order_number": order.number})
        return reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    except NoReverseMatch:
        return None


def _url(path: str) -> str:
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def notify(retail_order, event: str) -> bool:
    """Tell the shopper (and, for a new order, the shop) once per event; whether mail went.

    The shopper is written to in the language they ordered in; the shop in its
    channel's language.
    """
    channel = retail_order.order.channel
    # An order the shop placed itself (from the shopper's message) needs no alert to it.
    if event == "placed" and not OrderRequest.objects.filter(order_id=retail_order.order_id).exists():
        with storefront(channel, channel.default_language):
            text_shop(retail_order)
    with storefront(channel, retail_order.language or channel.default_language):
        text_shopper(retail_order, event)
        return email_shopper(retail_order, event)


def _number(value, channel, medium: str) -> str | None:
    raw = getattr(value, "as_e164", None) or str(value or "")
    try:
        return normalise(raw, region=channel.country.code, medium=medium)
    except InvalidNumber:
        return None  # a landline or no number: the e-mail is all they get


def text_shopper(retail_order, event: str) -> bool:
    """A text (or WhatsApp, when they ordered by WhatsApp) to the number given at checkout."""
    order = retail_order.order
    channel = order.channel
    # Ordered by WhatsApp: answered there; otherwise a text to the checkout's number.
    medium = OrderRequest.objects.filter(order_id=order.pk).values_list("medium", flat=True).first()
    medium = medium or "sms"
    address = order.shipping_address
    to = _number(address.phone_number if address else "", channel, medium)
    if to is None:
        return False
    body = message_for(retail_order, event)
    path = order_path(order)
    if path:
        body += " " + _("Follow your order: %(url)s") % {"url": _url(path)}
    language = translation.get_language() or channel.default_language
    message_queue(
        key=f"retail-order:{retail_order.pk}:{event}:shopper", medium=medium, to=to, text=body,
        language=language, channel=channel,
    )
    return True


def text_shop(retail_order) -> bool:
    """A new order for the shop: by WhatsApp when it has a number there, else by text."""
    retailer, order = retail_order.retailer, retail_order.order
    channel = order.channel
    medium = "whatsapp" if retailer.whatsapp else "sms"
    to = _number(retailer.whatsapp or retailer.phone, channel, medium)
    if to is None:
        logger.warning("Shop %s has no mobile number: not texted about %s", retailer.pk, order.number)
        return False
    language = translation.get_language() or channel.default_language
    answer_by = timezone.localtime(retail_order.answer_by, channel.tzinfo)
    body = _("New order %(number)s for %(shop)s: %(total)s, %(handover)s. Accept or decline it "
             "in the back office by %(time)s.") % {
        "number": order.number, "shop": retailer.name,
        "total": format_money(order.total_incl_tax, order.currency, language, channel.country.code),
        "handover": dict(RetailOrder.HANDOVERS)[retail_order.handover],
        "time": format_time(answer_by, format="short", locale=channel.locale(language)),
    }
    message_queue(
        key=f"retail-order:{retail_order.pk}:placed:shop", medium=medium, to=to, text=body,
        language=language, channel=channel,
    )
    return True


def email_shopper(retail_order, event: str) -> bool:
    """E-mail the shopper once per event (a task run twice sends nothing more)."""
    order = retail_order.order
    address = order.email
    if not address:
        return False
    try:
        with transaction.atomic():
            ShopperNotice.objects.create(retail_order=retail_order, event=event, medium="email")
            body = message_for(retail_order, event)
            path = order_path(order)
            if path:
                body += "\n\n" + _("Follow your order: %(url)s") % {"url": _url(path)}
            send_mail(
                _("Your order %(number)s") % {"number": order.number}, body,
                settings.OSCAR_FROM_EMAIL if hasattr(settings, "OSCAR_FROM_EMAIL")
                else settings.DEFAULT_FROM_EMAIL,
                [address],
            )
    except IntegrityError:
        return False  # sent already
    return True

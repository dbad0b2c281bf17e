"""What the shopper is told at each step of a shop's order, in the channel's language."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .models import ShopperNotice


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


def notify(retail_order, event: str) -> bool:
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
                scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
                url = f"{scheme}://{Site.objects.get_current().domain}{path}"
                body += "\n\n" + _("Follow your order: %(url)s") % {"url": url}
            send_mail(
                _("Your order %(number)s") % {"number": order.number}, body,
                settings.OSCAR_FROM_EMAIL if hasattr(settings, "OSCAR_FROM_EMAIL")
                else settings.DEFAULT_FROM_EMAIL,
                [address],
            )
    except IntegrityError:
        return False  # sent already
    return True

"""
Orders by text message or WhatsApp to a partner shop's number (issue 12, item 6).

A shopper texts "ORDER <item code> <quantity>" (or COMMANDE, AGIZA, طلب) to the
shop's phone (SMS) or WhatsApp number. ``route_to_shop`` (a messaging router)
finds the shop by that number; ``take_message`` turns the message into an
``OrderRequest`` the shop sees in the admin, once per provider message id, and
answers in the language of the order word (the channel's when it does not
offer it). A message that cannot be read gets a polite reply saying how to
order, and nothing else is written. Past ``MESSAGING_REPLY_RATE`` messages
from one number, one polite reply and no request (``too_many_messages``).

The shop calls the shopper back to confirm and, in one step,
``order_request_place`` places the order through ``order_place`` (the same
stock allocation, zone, area and payment checks as the web checkout: never
oversold, one order per request however often it is submitted), accepted at
once (the shop has just confirmed it), and texts the shopper its number and a
payment link.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.apps.address.models import Country
from oscar.apps.order.models import ShippingAddress

from marketplace.basket.models import Basket
from marketplace.channels.context import storefront
from marketplace.channels.money import format_money
from marketplace.localisation.catalogue import product_title
from marketplace.messaging.exceptions import MalformedMessage
from marketplace.messaging.phones import InvalidNumber, normalise
from marketplace.messaging.providers.base import WHATSAPP
from marketplace.messaging.routing import Reply, Route
from marketplace.messaging.services import message_queue
from marketplace.order.exceptions import CheckoutError
from marketplace.order.services import order_place
from marketplace.partner.models import StockRecord
from marketplace.partner.strategy import Selector
from marketplace.stores.offers import ChosenListing

from . import rules
from .methods import ShopMethod
from .models import OrderRequest, Retailer, RetailOrder
from .notifications import order_path

logger = logging.getLogger(__name__)


def route_to_shop(inbound) -> Route | None:
    """The active shop whose phone (SMS) or WhatsApp number received ``inbound``."""
    try:
        recipient = normalise(inbound.recipient, region="ZZ", medium=inbound.medium)
    except InvalidNumber:
        return None
    field = "whatsapp" if inbound.medium == WHATSAPP else "phone"
    shops = list(
        Retailer.objects.filter(**{field: recipient}, is_active=True)
        .select_related("channel", "partner").order_by("pk")[:2]
    )
    if len(shops) != 1:
        if shops:  # the form refuses a number in use; never guess which shop it is
            logger.warning("Inbound message to %s: %s active shops answer on it", field, len(shops))
        return None
    retailer = shops[0]
    try:
        # A number written nationally is the shop's country's.
        sender = normalise(inbound.sender, region=retailer.channel.country.code, medium=inbound.medium)
    except InvalidNumber as exc:
        raise MalformedMessage("the sender is not a mobile number") from exc
    return Route(
        channel=retailer.channel, sender=sender, recipient=recipient,
        handle=partial(take_message, retailer), over_rate=partial(too_many_messages, retailer),
    )


def _language(channel, language: str | None) -> str:
    return language if language in channel.languages else channel.default_language


def _how_to_order() -> str:
    return _("To order, send ORDER, the item code from the shop's page and the quantity, "
             "e.g. ORDER AB123 2.")


def _unit_price(listing):
    info = Selector().strategy(channel=listing.channel).fetch_for_product(listing.product, listing)
    return info.price.incl_tax if info.price.exists else None


def take_message(retailer: Retailer, message) -> Reply:
    """An inbound message to ``retailer``: an order request, or a reply saying why not.

    Runs in the transaction that records the message (once per message id).
    """
    channel = retailer.channel
    parsed = rules.parse_order_message(message.text)
    language = _language(channel, parsed.language)
    with storefront(channel, language):
        text = _take(retailer, message, parsed, language)
    return Reply(text=text, language=language)


def too_many_messages(retailer: Retailer, message) -> Reply:
    """The sender is past ``MESSAGING_REPLY_RATE``: no request, a polite reply (once)."""
    channel = retailer.channel
    language = _language(channel, rules.parse_order_message(message.text).language)
    with storefront(channel, language):
        text = _("You have sent %(shop)s many messages. Please wait a while before you send "
                 "another; the shop has your earlier requests.") % {"shop": retailer.name}
    return Reply(text=text, language=language)


def _take(retailer, message, parsed, language) -> str:
    shop = retailer.name
    if parsed.problem == "not_an_order":
        return _("Welcome to %(shop)s.") % {"shop": shop} + " " + _how_to_order()
    if parsed.problem == "no_item":
        return _how_to_order()
    listing = (
        StockRecord.objects.filter(
            partner=retailer.partner, channel=retailer.channel, partner_sku__iexact=parsed.sku,
            is_live=True, price__isnull=False, product__is_public=True,
        ).select_related("product", "channel").first()
    )
    if listing is None:
        return _("%(shop)s has no item with the code “%(code)s”.") % {
            "shop": shop, "code": parsed.sku[:32]
        } + " " + _how_to_order()
    title = product_title(listing.product)
    if parsed.problem == "bad_quantity":
        return _("Please send a quantity from 1 to %(most)s for “%(title)s”, e.g. ORDER %(code)s 1.") % {
            "most": rules.MAX_MESSAGE_QUANTITY, "title": title, "code": listing.partner_sku,
        }
    available = (listing.num_in_stock or 0) - (listing.num_allocated or 0)
    unit = _unit_price(listing)
    if unit is None or available < 1:
        return _("Sorry, “%(title)s” is sold out at %(shop)s.") % {"title": title, "shop": shop}
    if available < parsed.quantity:
        return ngettext(
            "Sorry, %(shop)s has only %(count)d “%(title)s” left.",
            "Sorry, %(shop)s has only %(count)d “%(title)s” left.", available,
        ) % {"shop": shop, "count": available, "title": title}
    request = OrderRequest.objects.create(
        retailer=retailer, message=message, medium=message.medium, phone=message.sender,
        language=language, listing=listing, quantity=parsed.quantity,
    )
    return _(
        "%(shop)s received your order request %(reference)s: %(quantity)d × %(title)s, "
        "%(total)s. The shop will contact you to confirm it."
    ) % {
        "shop": shop, "reference": str(request), "quantity": parsed.quantity, "title": title,
        "total": format_money(unit * parsed.quantity, listing.channel.currency, language,
                              listing.channel.country.code),
    }


# Placing the order ------------------------------------------------------------------------


class RequestRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _absolute(path: str) -> str:
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def order_request_place(
    order_request: OrderRequest, *, handover: str, first_name: str, last_name: str,
    line1: str = "", city: str = "", district: str = "", payment_option,
):
    """Place the order the shop confirmed with the shopper; the order (the same one if
    the request was placed already). Raises ``RequestRefused`` with nothing written."""
    from .services import retail_order_accept, shop_handovers

    try:
        with transaction.atomic():
            locked = (
                OrderRequest.objects.select_for_update(of=("self",))
                .select_related("retailer__channel", "retailer__partner", "listing__product")
                .get(pk=order_request.pk)
            )
            if locked.order_id is not None:
                return locked.order  # placed by an earlier (or concurrent) submission
            if locked.status != OrderRequest.NEW:
                raise RequestRefused(_("This request was declined."))
            retailer, channel = locked.retailer, locked.retailer.channel
            if handover == RetailOrder.PICKUP:
                line1, city, district = retailer.address, retailer.city, retailer.district
            elif not (line1 and city):
                raise RequestRefused(_("Give the delivery address and city."))
            address = ShippingAddress(
                first_name=first_name, last_name=last_name, line1=line1, line3=district,
                line4=city, phone_number=locked.phone,
                country=Country.objects.get(iso_3166_1_a2=channel.country.code),
            )
            offered = shop_handovers(retailer, city=city, district=district)
            method = ShopMethod(retailer, handover, contactless=handover == RetailOrder.DELIVERY
                                and offered.contactless)
            basket = Basket.objects.create(channel=channel)
            strategy = Selector().strategy(channel=channel)
            basket.strategy = ChosenListing(strategy, locked.listing)
            basket.add_product(locked.listing.product, locked.quantity)
            basket.strategy = strategy
            with storefront(channel, locked.language):
                placed = order_place(
                    channel=channel, basket=basket, user=AnonymousUser(), guest_email="",
                    shipping_address=address, shipping_method=method,
                    payment_option=payment_option, checkout_key=f"message-request-{locked.pk}",
                )
            order = placed.order
            locked.order, locked.status = order, OrderRequest.ORDERED
            locked.save(update_fields=["order", "status"])
            # The shop placed it after confirming with the shopper: accepted at once,
            # no second step in the admin.
            retail_order_accept(RetailOrder.objects.get(order=order), tell_shopper=False)
            _reply_placed(locked, order)
    except CheckoutError as exc:
        raise RequestRefused(exc.message) from exc
    return order


def _reply_placed(order_request: OrderRequest, order) -> None:
    from marketplace.payments.selectors import payment_for_order

    channel = order.channel
    with storefront(channel, order_request.language):
        payment = payment_for_order(order)
        values = {
            "number": order.number, "shop": order_request.retailer.name,
            "total": format_money(order.total_incl_tax, order.currency, order_request.language,
                                  channel.country.code),
        }
        if payment is not None:
            url = _absolute(reverse("payments:pay", kwargs={"reference": payment.reference}))
            text = _("Your order %(number)s from %(shop)s is placed: %(total)s. Pay here: "
                     "%(url)s") % {**values, "url": url}
        else:
            path = order_path(order)
            text = _("Your order %(number)s from %(shop)s is placed: %(total)s, to pay on "
                     "delivery.") % values
            if path:
                text += " " + _("Follow it here: %(url)s") % {"url": _absolute(path)}
    message_queue(
        key=f"request-placed:{order_request.pk}", medium=order_request.medium,
        to=order_request.phone, sender=order_request.message.recipient, text=text,
        language=order_request.language, channel=channel, in_reply_to=order_request.message,
    )


def order_request_decline(order_request: OrderRequest) -> OrderRequest:
    """The shop cannot take the request: the shopper is told (once)."""
    with transaction.atomic():
        locked = OrderRequest.objects.select_for_update(of=("self",)).select_related(
            "retailer__channel", "message"
        ).get(pk=order_request.pk)
        if locked.status == OrderRequest.DECLINED:
            return locked
        if locked.status != OrderRequest.NEW:
            raise RequestRefused(_("This request is already an order."))
        locked.status = OrderRequest.DECLINED
        locked.save(update_fields=["status"])
        with storefront(locked.retailer.channel, locked.language):
            text = _("%(shop)s cannot take your order request %(reference)s. Sorry!") % {
                "shop": locked.retailer.name, "reference": str(locked),
            }
        message_queue(
            key=f"request-declined:{locked.pk}", medium=locked.medium, to=locked.phone,
            sender=locked.message.recipient, text=text, language=locked.language,
            channel=locked.retailer.channel, in_reply_to=locked.message,
        )
    return locked

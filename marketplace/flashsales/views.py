"""
Flash-sale pages and the hot path's two endpoints.

- ``SalesView``: the channel's sale page (and a festival's landing page), page-cached.
- ``claim``: "Buy now" (POST). Refusals that need no count (not started, ended,
  bad quantity, another channel's item) are answered from the cached card, and
  on the Redis path sold out and over-the-limit from the script: none touches
  PostgreSQL. A guest's claims are counted per device (a signed cookie) and
  their orders per e-mail (``conversion``); a signed-in shopper's per account.
- ``short_checkout``: the one page from a granted claim to a placed order
  (``shortcheckout``); a granted claim is sent there (its URL in a JSON answer).
- ``status``: units left and state of a few items, as JSON, from Redis or the
  cache (never PostgreSQL on the Redis path): what the strip polls.
"""

import math
import re
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib import messages as flash_messages
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from marketplace.channels.templatetags import money
from marketplace.checkout.onepage import OnePage
from marketplace.localisation.content import fallback_languages, translated
from marketplace.order.exceptions import CheckoutError
from marketplace.order.models import Order
from marketplace.pagecache import holes
from marketplace.pagecache.pages import CachedPageMixin
from marketplace.payments.services import payment_redirect_url

from . import accepting, admission, gate, messages, rules, verification
from .counts import units_left, units_left_many
from .models import Festival
from .presentation import item_views
from .selectors import item_card, sales_for_channel
from .shortcheckout import ACCEPTED_KEY, ALREADY_ORDERED, claim_for

_QUANTITY = re.compile(r"[0-9]{1,3}", re.ASCII)
_ITEMS = re.compile(r"[0-9]{1,10}(?:,[0-9]{1,10}){0,29}", re.ASCII)
_PRICE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?", re.ASCII)
SHOPPER_COOKIE = "flash_shopper"
# HTTP status per refusal: the request was understood, the sale's state refuses it.
STATUS = {rules.BAD_QUANTITY: 400, "unknown": 404}


class SalesView(CachedPageMixin, TemplateView):
    template_name = "flashsales/sales.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        sales = sales_for_channel(request.channel)
        slug = self.kwargs.get("slug")
        if slug is not None:
            festival = Festival.objects.filter(slug=slug).prefetch_related("translations").first()
            if festival is None:
                raise Http404
            sales = [sale for sale in sales if sale.festival_id == festival.pk]
            ctx["festival_name"] = translated(
                festival, "name", fallback_languages(request.LANGUAGE_CODE, request.channel)
            )
        moment = timezone.now()
        ctx["sales"] = [{
            "sale": sale, "state": sale.state(moment),
            "items": item_views(sale, sale.channel_items, strategy=request.strategy,
                                language=request.LANGUAGE_CODE, moment=moment,
                                lefts=units_left_many(sale.channel_items)),
        } for sale in sales]
        ctx["LIVE"] = rules.LIVE
        return ctx


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.GET.get("format") == "json"


def _shopper(request):
    """The claim's shopper, with no query: the signed-in user from the session, else this device."""
    user_id = request.session.get(SESSION_KEY)
    if user_id:
        return admission.shopper_for_user(user_id), None
    device = request.get_signed_cookie(SHOPPER_COOKIE, default=None, salt=SHOPPER_COOKIE)
    if not device or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", device):
        device = secrets.token_urlsafe(18)
    return admission.shopper_for_session(device), device


def _answer(request, *, code, message, status, quantity=1, retry_after=None, extra=None):
    if _wants_json(request):
        response = JsonResponse({"status": code, "message": str(message), **(extra or {})}, status=status)
    else:
        response = render(request, "flashsales/refused.html", {
            "message": message, "retry_after": retry_after, "quantity": quantity,
        }, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


@require_POST
def claim(request, item_id: int):
    card = item_card(item_id)
    if card is None or card.channel_id != request.channel.pk:
        return _answer(request, code="unknown", message=messages.UNKNOWN_ITEM, status=404)
    quantity_text = request.POST.get("quantity", "1")
    if not _QUANTITY.fullmatch(quantity_text):
        return _answer(request, code=rules.BAD_QUANTITY, message=messages.refusal(rules.BAD_QUANTITY), status=400)
    quantity = int(quantity_text)
    posted_price = request.POST.get("price")
    if posted_price is not None and (not _PRICE.fullmatch(posted_price) or
                                     Decimal(posted_price) != card.sale_price):
        # The page's price is not the sale's (tampered with, or the sale changed): say so.
        return _answer(request, code="price_changed", message=messages.PRICE_CHANGED, status=409)
    waited = gate.admit(request, sale_id=card.sale_id)
    if waited:
        return _with_ticket(request, _answer(request, code="busy", message=messages.BUSY, status=429,
                                             quantity=quantity, retry_after=waited))
    shopper, device = _shopper(request)
    try:
        answer = admission.claim(
            card=card, shopper=shopper, quantity=quantity, basket=request.basket,
            price=lambda: request.strategy.price_for(card.sale_price),
        )
    except admission.ClaimsUnavailable:
        return _answer(request, code="paused", message=messages.CLAIMS_STOPPED, status=429, quantity=quantity,
                       retry_after=30)
    if not answer.granted:
        response = _answer(request, code=answer.code, message=answer.message,
                           status=STATUS.get(answer.code, 409), extra={"left": answer.left})
    elif _wants_json(request):
        response = JsonResponse({
            "status": "ok", "message": str(answer.message), "left": answer.left,
            "expires_at": answer.reservation.expires_at.isoformat(), "basket_id": answer.reservation.basket_id,
            "checkout_url": _checkout_url(answer.reservation),
            **_confirmation(request, answer.reservation),
        })
    else:
        flash_messages.success(request, answer.message)
        response = redirect(_checkout_url(answer.reservation))
    _with_ticket(request, response)
    if device:
        response.set_signed_cookie(SHOPPER_COOKIE, device, salt=SHOPPER_COOKIE, max_age=30 * 86400,
                                   httponly=True, samesite="Lax", secure=request.is_secure())
    return response


def _confirmation(request, reservation) -> dict:
    """A signed-in shopper's order, ready to confirm with one POST, for an app's confirmation sheet.

    The checkout page's form as it would be filled in (``OnePage.ready``): its fields, to POST
    to the claim's checkout URL, and what they say, each delivery choice with its total in the
    channel's currency and locale. Nothing for a guest, or when the page has something to ask.
    """
    if not request.user.is_authenticated:
        return {}
    ready = OnePage(request, request.basket, template_name="flashsales/checkout.html").ready()
    if ready is None:
        return {}
    address, currency = ready["address"], request.channel.currency
    return {"confirm": {
        "url": _checkout_url(reservation),
        "fields": ready["fields"],
        "deliver_to": ", ".join(part for part in (address.line1, address.line2, address.line4) if part),
        "methods": [{"code": method.code, "name": str(method.name), "total": str(total.incl_tax),
                     "total_display": money.currency(total.incl_tax, currency)}
                    for method, _charge, total in ready["totals"]],
        "options": [{"value": str(option.pk), "name": str(option.get_method_display())}
                    for option in ready["options"]],
    }}


def _checkout_url(reservation) -> str:
    """The claim's one-page checkout (``short_checkout``)."""
    return reverse("flashsales:checkout-claim", kwargs={"token": str(reservation.token)})


def _with_ticket(request, response):
    """The waiting shopper's place in the queue (a signed cookie), or its end once let in."""
    if getattr(request, "flash_ticket", None):
        response.set_cookie(gate.TICKET_COOKIE, request.flash_ticket, max_age=3600, httponly=True,
                            samesite="Lax", secure=request.is_secure())
    elif getattr(request, "flash_ticket_done", False):
        response.delete_cookie(gate.TICKET_COOKIE, samesite="Lax")
    return response


@require_GET
def status(request):
    """``?items=1,2``: each item's state, units left and sold out, for this channel's pages."""
    text = request.GET.get("items", "")
    if not _ITEMS.fullmatch(text):
        raise SuspiciousOperation("bad item list") if len(text) > 400 else Http404()
    moment = timezone.now()
    items = {}
    for item_id in dict.fromkeys(int(part) for part in text.split(",")):
        card = item_card(item_id)
        if card is None or card.channel_id != request.channel.pk:
            continue
        state = card.state(moment)
        # Redis on the Redis path; the database path's one-second snapshot otherwise.
        left = units_left(item_id=card.id, units=card.units, database=not admission.uses_redis())
        if left is None:  # Redis is down: claims are paused, the page keeps what it shows
            continue
        items[str(item_id)] = {
            "state": state, "left": left, "sold_out": state == rules.LIVE and left <= 0,
            "left_text": ngettext("%(left)d left", "%(left)d left", left) % {"left": left},
        }
    response = JsonResponse({"items": items})
    add_never_cache_headers(response)
    return response


# The short checkout --------------------------------------------------------------


def short_checkout(request, token: str | None = None):
    """One page from a won claim to a placed order: GET shows it, one POST places the order.

    The claim is found and checked here; the page and its POST are the checkout's
    one-page checkout (``checkout.onepage.OnePage``) for the claim's basket.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    basket = request.basket
    if request.method != "POST":
        # The basket's token before claim_for reads its lines: the page's basket holes can be
        # kept (a POST's page never keeps them, and a placed order's answer has none).
        holes.basket_token_first(request)
    found = claim_for(token=token, basket=basket, session=request.session, user=request.user)
    if found.accepted_number is not None:
        # Accepted by this session already (a repeated submission, or back to the page).
        return _to_accepted(request, found.accepted_number)
    if found.placed_order_id is not None:
        # Placed already by this session (a repeated submission, or back to the page):
        # where the first submission went (its payment, else the confirmation).
        order = Order.objects.filter(pk=found.placed_order_id).first()
        request.session["checkout_order_id"] = found.placed_order_id  # the confirmation reads it
        return redirect((order and payment_redirect_url(order)) or reverse("checkout:thank-you"))
    if found.message is not None:
        return _answer(request, code="claim", message=found.message, status=found.status)
    reservation = found.reservation
    for line in basket.all_lines():
        if line.line_reference == f"{admission.LINE_PREFIX}{reservation.token}":
            # The claim just read, which the strategy's terms would read again: once per
            # request (the order re-checks it by its conditional UPDATE, under the lock).
            line.__dict__["_flash_reservation"] = reservation
    minutes_left = max(math.ceil((reservation.expires_at - timezone.now()).total_seconds() / 60), 0)

    def verify(page, form):
        # A guest's e-mail is the per-shopper limit's shopper: verified (a code) before it counts.
        held = verification.guard(request=request, form=form, claim=str(reservation.token))
        if held.ok:
            return None
        response = page.render(form, status=held.status)
        if held.retry_after:
            response["Retry-After"] = str(held.retry_after)
        return response

    context = {"reservation": reservation, "minutes_left": minutes_left}
    if not request.user.is_authenticated:
        # The code field from the start, with the button its script shows to ask for the code.
        context["code_url"] = reverse("flashsales:checkout-code", kwargs={"token": str(reservation.token)})
    page = OnePage(request, basket, template_name="flashsales/checkout.html", context=context,
                   before_placing=verify, form_ready=_with_code_field,
                   place=_accept if settings.FLASHSALES_ACCEPT_ORDERS else None)
    return page.post() if request.method == "POST" else page.get()


def _accept(page, form, **order):
    """The order taken now, written by a worker (``accepting``), when its basket allows."""
    request, basket = page.request, page.basket
    if not accepting.accepts(basket):
        return None  # placed in this request, as any order
    try:
        result = accepting.order_accept(
            channel=page.channel, basket=basket, user=request.user,
            guest_email=form.cleaned_data.get("email", "") if page.guest else "",
            shipping_address=form.instance, language=request.LANGUAGE_CODE, request=request, **order,
        )
    except CheckoutError as exc:
        form.add_error(None, exc.message)
        return page.render(form, status=409)
    return _to_accepted(request, result.accepted.number)


def _to_accepted(request, number: str):
    if not request.user.is_authenticated:  # (a signed-in shopper's are theirs by account)
        kept = request.session.get(ACCEPTED_KEY, [])
        if number not in kept:
            request.session[ACCEPTED_KEY] = [*kept[-9:], number]  # the confirmation page reads it
    return redirect("flashsales:accepted", number=number)


@require_GET
def accepted(request, number: str):
    """An accepted order's confirmation: its number at once; once written, the order's own pages.

    While a worker writes the order the page says it is placed, what it holds and that it
    follows itself (a Refresh header) to the payment or the regular confirmation.
    """
    found = accepting.accepted_for(number=number[:128], user=request.user,
                                   numbers=request.session.get(ACCEPTED_KEY))
    if found is None or found.channel_id != request.channel.pk:
        raise Http404("no such accepted order in this session")
    if found.order is not None:
        request.session["checkout_order_id"] = found.order_id  # the confirmation reads it
        return redirect(payment_redirect_url(found.order) or reverse("checkout:thank-you"))
    response = render(request, "flashsales/accepted.html", {
        "accepted": found, "lines": accepting.accepted_lines(found), "option": accepting.accepted_option(found),
        "currency": request.channel.currency,
    })
    response["Refresh"] = str(ACCEPTED_REFRESH_SECONDS)
    add_never_cache_headers(response)
    return response


ACCEPTED_REFRESH_SECONDS = 2


def _with_code_field(form):
    if "email" in form.fields:  # a guest's (``guard`` gives a POST's its own notice)
        verification.add_code_field(form)
        form.verification = verification.CODE_ASK


@require_POST
def send_code(request, token: str):
    """The guest's e-mail code, asked for from the short checkout's page (JSON, its script).

    Only for a claim this shopper holds and can still order: the button is no way to send
    e-mails to anyone. The code's own limits apply (``verification.code_send``).
    """
    found = claim_for(token=token, basket=request.basket, session=request.session)
    if found.placed_order_id is not None:
        return _answer(request, code="claim", message=ALREADY_ORDERED, status=410)
    if found.message is not None:
        return _answer(request, code="claim", message=found.message, status=found.status)
    result = verification.code_for_page(request=request, claim=str(found.reservation.token))
    response = JsonResponse({"status": "sent" if result.ok else "refused", "message": str(result.message)},
                            status=200 if result.ok else result.status)
    if result.retry_after:
        response["Retry-After"] = str(result.retry_after)
    add_never_cache_headers(response)
    return response

"""
Payment pages for the shopper (in a channel) and the providers' callback (at the root).

Thin: they look the payment up, call a service and render. A payment's
reference is unguessable, so it is what opens its pages.
"""

import logging

from babel.dates import format_time
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from marketplace.throttling.clients import client_key
from marketplace.throttling.ratelimit import ratelimited

from . import pages, selectors, services
from .exceptions import PaymentError, UnknownProvider
from .providers import get_provider
from .providers.sandbox import DECISIONS, SandboxProvider

logger = logging.getLogger(__name__)


def _payment_or_404(request, reference):
    payment = selectors.payment_in_channel(reference=reference, channel=request.channel)
    if payment is None:
        raise Http404
    return services.payment_expire_if_stale(payment)


def _sandbox_provider(payment) -> SandboxProvider | None:
    try:
        provider = get_provider(payment.provider)
    except UnknownProvider:
        return None
    return provider if isinstance(provider, SandboxProvider) else None


@method_decorator(never_cache, name="dispatch")
class PaymentStatusView(TemplateView):
    """Where the shopper waits for the provider ("approve on your phone") and sees the result."""

    template_name = "payments/status.html"

    def get_context_data(self, **kwargs):
        payment = _payment_or_404(self.request, kwargs["reference"])
        channel = payment.order.channel
        sandbox = _sandbox_provider(payment)
        language = (get_language() or channel.default_language).split("-")[0]
        expires = payment.expires_at.astimezone(channel.tzinfo)
        return super().get_context_data(
            payment=payment,
            order=payment.order,
            poll_url=pages.payment_status_json_url(payment),
            confirmation_url=pages.order_confirmation_url(payment.order),
            expires_at=format_time(expires, format="short", locale=channel.locale(language)),
            phone_url=sandbox.phone_url(payment)
            if sandbox and payment.is_mobile_money and not payment.is_final else "",
            **kwargs,
        )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pay(request, reference):
    """A payment link sent by message (an order by text): start paying, or see where it stands.

    The provider is started once per payment (``payment_redirect_url`` stores its URL), so
    opening the link again lands on the same page.
    """
    payment = _payment_or_404(request, reference)
    if payment.is_final:
        return redirect(pages.payment_status_url(payment))
    if request.method != "POST":
        # Messaging apps fetch a link to preview it: a GET only shows what is to be paid.
        return render(request, "payments/pay.html", {"payment": payment, "order": payment.order})
    return redirect(services.payment_redirect_url(payment.order, request))


def _poller(request, reference):
    # Per client and payment: shoppers behind one address each wait on their own payment.
    return f"{client_key(request)}:{reference}"


@never_cache
@ratelimited("payment-status", key=_poller, methods=("GET", "HEAD"), json=True)
def payment_status_json(request, reference):
    """Polled every 2 s by the wait page."""
    payment = _payment_or_404(request, reference)
    return JsonResponse({
        "reference": payment.reference,
        "status": payment.status,
        "status_label": str(payment.get_status_display()),
        "is_final": payment.is_final,
    })


@method_decorator(never_cache, name="dispatch")
class SandboxPageView(TemplateView):
    """A sandbox provider page: shows what is being paid and takes Approve or Decline."""

    mobile_money = False

    def dispatch(self, request, *args, reference, **kwargs):
        self.payment = _payment_or_404(request, reference)
        self.provider = _sandbox_provider(self.payment)
        if self.provider is None or self.payment.is_mobile_money != self.mobile_money:
            raise Http404
        if self.payment.is_final:
            return redirect(pages.payment_status_url(self.payment))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            payment=self.payment, order=self.payment.order,
            merchant=self.provider.merchant_name, **kwargs,
        )

    def post(self, request, *args, **kwargs):
        decision = request.POST.get("decision")
        if decision not in DECISIONS:
            return HttpResponseBadRequest()
        self.provider.decide(self.payment, decision)
        return redirect(pages.payment_status_url(self.payment))


class SandboxCardView(SandboxPageView):
    template_name = "payments/sandbox_card.html"


class SandboxPhoneView(SandboxPageView):
    template_name = "payments/sandbox_phone.html"
    mobile_money = True


#: How long a callback waits for a payment row another request has locked, in
#: milliseconds (PostgreSQL; SQLite gives up at once when it cannot upgrade a lock).
CALLBACK_LOCK_TIMEOUT_MS = 2000
#: Seconds a provider is asked to wait before re-sending a callback we could not take.
CALLBACK_RETRY_AFTER = 5


def _read_body(request, limit: int) -> bytes | None:
    """The request body, or None if it is longer than ``limit`` (read no further than that)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _bound_lock_wait() -> None:
    """Inside the callback's transaction: wait for a locked payment row a bounded time only."""
    if connection.vendor == "postgresql":
        timeout = getattr(settings, "PAYMENT_CALLBACK_LOCK_TIMEOUT_MS", CALLBACK_LOCK_TIMEOUT_MS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(timeout)}ms"])


def _busy(provider_code: str, exc: Exception) -> JsonResponse:
    logger.warning("Could not take %s notification now (%s): asked to retry", provider_code, exc)
    response = JsonResponse({"ok": False, "error": "busy"}, status=503)
    response["Retry-After"] = str(CALLBACK_RETRY_AFTER)
    return response


@csrf_exempt
@require_POST
def provider_callback(request, provider_code):
    return _callback(request, provider_code, services.payment_handle_notification)


@csrf_exempt
@require_POST
def provider_refund_callback(request, provider_code):
    """A provider's refund notification: answered like a payment's (signed, once per event)."""
    from .refunds import refund_handle_notification

    return _callback(request, provider_code, refund_handle_notification)


def _callback(request, provider_code, handle):
    """A provider's notification: 200 applied or already seen, 4xx refused (and nothing changed).

    A body over the provider's size limit is a 413, unread. When the payment
    row is locked by another delivery or the expiry sweep longer than we wait
    (PostgreSQL's lock timeout; SQLite's "database is locked"), the answer is
    503 with ``Retry-After``: nothing was written and providers re-send on 5xx.
    """
    try:
        provider = get_provider(provider_code)
    except UnknownProvider as exc:
        return JsonResponse({"ok": False, "error": exc.code}, status=exc.http_status)
    body = _read_body(request, provider.max_body_bytes)
    if body is None:
        return JsonResponse({"ok": False, "error": "too_large"}, status=413)
    try:
        with transaction.atomic():
            _bound_lock_wait()
            settled = handle(provider_code=provider_code, body=body, headers=request.headers)
    except PaymentError as exc:
        logger.warning("Refused %s notification: %s %s", provider_code, exc.code, exc)
        return provider.callback_response(error=exc)
    except OperationalError as exc:
        # Lock timeouts, "database is locked", a database restarting: all pass.
        return _busy(provider_code, exc)
    return provider.callback_response(payment=settled)

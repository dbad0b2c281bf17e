"""
The payment-provider interface, and how a real provider plugs in.

A provider takes the shopper somewhere to pay (a hosted card page, an "approve
on your phone" prompt) and later tells us the outcome in a server-to-server
notification. Everything else (payments, orders, stock, expiry, idempotency)
is ours and the same for every provider, in ``marketplace.payments.services``.

The flow
    1. ``order_place`` calls ``PaymentOption.start_payment(order)`` inside the
       order transaction: a pending ``Payment`` with an unguessable
       ``reference``, the order's amount and currency, and an expiry time. No
       provider is called there.
    2. After commit, ``payment_redirect_url(order, request)`` calls the
       provider's ``start(payment, request)`` once and sends the shopper to the
       URL it returns (its hosted page, or our wait page for mobile money).
    3. The provider POSTs its notification to
       ``/payments/callback/<provider code>/``. ``verify_and_parse`` checks it
       really comes from the provider and turns it into a ``Notification``;
       the service then checks reference, amount and currency, records the
       event once (its ``event_id``), and moves the payment and its order
       through ``payments.transitions`` (the order follows only while it still
       awaits that payment: a late failure never cancels a paid order).
    4. A payment still pending after ``PAYMENT_TIMEOUT`` expires (Celery beat,
       every minute, and whenever its status page is read): its order, if it
       still awaits the payment, is cancelled and its stock released. A late
       notification for it is recorded and ignored.

Writing a provider
    Subclass ``PaymentProvider`` (or ``HmacJsonProvider`` when the provider
    signs a JSON body with a shared secret) and add it to ``PAYMENT_PROVIDERS``::

        PAYMENT_PROVIDERS = {
            "paystack": {
                "CLASS": "myproject.payments.PaystackProvider",
                "SECRET": env("PAYSTACK_SECRET_KEY"),
                # anything else the class reads from self.options:
                "PUBLIC_KEY": env("PAYSTACK_PUBLIC_KEY"),
                "TIMEOUT": 10,
            },
        }

    then create ``PaymentOption`` rows (admin) with ``provider="paystack"`` and
    the method it serves (card, mpesa, …) in the channels that use it.

    ``start(payment, request) -> str``
        Called after the order is committed, at most once per payment (the URL
        is stored on the payment). May call the provider's API: Paystack or
        Flutterwave "initialize transaction" (send ``payment.reference`` as
        their reference, the amount in minor units of ``payment.currency``, and
        ``request.build_absolute_uri(payment_status_url(payment))`` as the
        return URL) and return
        their ``authorization_url``; Safaricom Daraja: send the STK push (needs
        the shopper's phone, from the order's shipping address) and return
        ``payment_status_url(payment)``, our wait page that polls. A provider
        that has its own transaction id stores it in
        ``payment.provider_reference``. Raise ``ProviderUnavailable`` when it
        cannot be reached: the shopper is sent to the status page, and the
        payment expires (releasing the stock) if it never starts.
    ``verify_and_parse(body: bytes, headers: Mapping) -> Notification``
        Authenticate the raw body (HMAC with ``hmac.compare_digest``: Paystack
        ``x-paystack-signature`` is HMAC-SHA512 of the body with the secret key,
        Flutterwave ``verif-hash``, MTN MoMo / Orange Money / Fawry / CMI each
        their own; Daraja does not sign, so re-query the transaction status
        API or use a secret callback path) and raise ``InvalidSignature`` when
        that fails, ``MalformedNotification`` when the content is not
        understood. Return amounts in major units as ``Decimal`` (Paystack
        sends kobo), the currency's ISO code, our ``reference`` (look it up
        from ``provider_reference`` if the provider only echoes its own id),
        and an ``event_id`` that is the same each time the provider re-sends
        the same event. Never touch the database for writing here.
    ``callback_response(payment=None, error=None) -> HttpResponse``
        What the provider expects back (Daraja wants ``{"ResultCode": 0, …}``);
        JSON with the HTTP status of the error by default. 2xx means "stop
        retrying": give it for duplicates too.
    ``signature_header``
        The header that carries the signature, for ``HmacJsonProvider``.

Settings
    ``PAYMENT_PROVIDERS`` (code → ``{"CLASS", "SECRET", …}``; the code is the
    last part of the callback URL), ``PAYMENT_TIMEOUT`` (seconds or a
    ``timedelta``, default 15 minutes), ``PAYMENT_SANDBOX_SECRET`` (env, read
    by the settings for the sandbox's entry).
"""

import hashlib
import hmac
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.datastructures import CaseInsensitiveMapping

from marketplace.channels.money import InvalidAmount, parse_amount

from ..exceptions import InvalidSignature, MalformedNotification

SUCCEEDED = "succeeded"
FAILED = "failed"
OUTCOMES = (SUCCEEDED, FAILED)

_CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)

#: Nesting a notification may have. Ours is flat; real providers nest their
#: metadata a few levels. Python's parser recurses once per level, so 5,000
#: levels was a RecursionError (a 500) before this was checked.
MAX_JSON_DEPTH = 32


class ProviderUnavailable(Exception):
    """The provider could not be reached to start a payment."""


@dataclass(frozen=True)
class Notification:
    """A provider's verified statement about one payment."""

    event_id: str  # the same each time the provider re-sends this event
    reference: str  # our Payment.reference
    status: str  # SUCCEEDED or FAILED
    amount: Decimal  # in major units of ``currency``
    currency: str  # ISO 4217
    payload: dict = field(default_factory=dict, compare=False)  # kept for the record


class PaymentProvider(ABC):
    """A payment service the shopper pays through; one instance per configured code."""

    #: The header carrying the notification's signature.
    signature_header = "X-Signature"
    #: The largest notification body read (bytes); a larger one is a 413 unread.
    max_body_bytes = 64 * 1024

    def __init__(self, *, code: str, options: Mapping | None = None):
        self.code = code
        self.options = dict(options or {})

    @property
    def secret(self) -> bytes:
        secret = self.options.get("SECRET") or ""
        return secret.encode() if isinstance(secret, str) else secret

    @property
    def merchant_name(self) -> str:
        return self.options.get("MERCHANT_NAME") or settings.OSCAR_SHOP_NAME

    @abstractmethod
    def start(self, payment, request) -> str:
        """Start ``payment`` at the provider; the URL to send the shopper to."""

    @abstractmethod
    def verify_and_parse(self, body: bytes, headers: Mapping) -> Notification:
        """Authenticate a notification and read it; raise InvalidSignature / MalformedNotification."""

    def refund(self, refund) -> None:
        """Ask the provider to give ``refund.amount`` back on ``refund.payment``.

        Called once per refund after commit (``refunds.refund_start``); send
        ``refund.reference`` as the provider's idempotency key (Paystack's and
        Flutterwave's refund APIs take one), so a retry never refunds twice. The
        outcome comes later, signed, to ``/payments/callback/<code>/refunds/``,
        read by ``verify_and_parse`` like a payment's (``reference`` is the
        refund's). Raise ``ProviderUnavailable`` to be retried; a provider
        without a refund API raises ``RefundUnsupported`` (paid back by hand).
        """
        from ..exceptions import RefundUnsupported

        raise RefundUnsupported(self.code)

    def callback_response(self, *, payment=None, error=None) -> HttpResponse:
        if error is not None:
            return JsonResponse({"ok": False, "error": error.code}, status=error.http_status)
        return JsonResponse({"ok": True, "reference": payment.reference, "status": payment.status})


def sign(secret: bytes, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``body``."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def check_signature(secret: bytes, body: bytes, signature: str | None) -> None:
    if not secret:
        raise InvalidSignature("no secret is configured for this provider")
    if not signature:
        raise InvalidSignature("signature missing")
    # Header values arrive as Latin-1 text: "é" or raw bytes b"\xff\xfe" are
    # not hex, and ``compare_digest`` raises TypeError on non-ASCII text.
    signature = signature.strip().lower()
    if not signature.isascii():
        raise InvalidSignature("signature is not ASCII")
    if not hmac.compare_digest(sign(secret, body).encode(), signature.encode()):
        raise InvalidSignature("signature does not match")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True if ``text`` nests arrays/objects deeper than ``limit`` (strings skipped).

    Run before ``json.loads``, whose recursion cannot be bounded; one linear
    scan, never recursive.
    """
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def load_json_body(body: bytes, *, max_depth: int = MAX_JSON_DEPTH):
    """Decode a provider's JSON body, refusing anything nested past ``max_depth``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedNotification("body is not UTF-8") from exc
    if json_depth_exceeds(text, max_depth):
        raise MalformedNotification(f"body nests deeper than {max_depth} levels")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedNotification("body is not JSON") from exc
    # The notification is stored as sent: PostgreSQL refuses NUL in text and
    # jsonb, and a lone surrogate ("\ud800") cannot be encoded at all.
    try:
        stored = json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedNotification("body holds text that is not Unicode") from exc
    if b"\\u0000" in stored:
        raise MalformedNotification("body holds a NUL character")
    return data


def parse_json_notification(body: bytes) -> Notification:
    """Read ``{event_id, reference, status, amount: "decimal string", currency}``."""
    data = load_json_body(body)
    if not isinstance(data, dict):
        raise MalformedNotification("body is not a JSON object")
    fields = {}
    for name, limit in (("event_id", 128), ("reference", 64), ("status", 16),
                        ("amount", 32), ("currency", 3)):
        value = data.get(name)
        if not isinstance(value, str) or not value or len(value) > limit:
            raise MalformedNotification(f"{name} missing or not a string")
        fields[name] = value
    if fields["status"] not in OUTCOMES:
        raise MalformedNotification("unknown status")
    try:
        amount = parse_amount(fields["amount"])
    except InvalidAmount as exc:
        raise MalformedNotification("amount is not a decimal string") from exc
    if not _CURRENCY.fullmatch(fields["currency"]):
        raise MalformedNotification("currency is not an ISO 4217 code")
    return Notification(
        event_id=fields["event_id"], reference=fields["reference"], status=fields["status"],
        amount=amount, currency=fields["currency"], payload=data,
    )


class HmacJsonProvider(PaymentProvider, ABC):
    """A provider that POSTs our JSON notification signed with HMAC-SHA256 in a header."""

    def verify_and_parse(self, body: bytes, headers: Mapping) -> Notification:
        signature = CaseInsensitiveMapping(dict(headers)).get(self.signature_header)
        check_signature(self.secret, body, signature)
        return parse_json_notification(body)

    def signed(self, payload: dict) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a notification, as the provider would send them."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return body, {"Content-Type": "application/json", self.signature_header: sign(self.secret, body)}

"""
The messaging-provider interface, and how a real provider plugs in.

A provider sends our text messages (SMS, WhatsApp) and tells us, in a
server-to-server callback, about the messages shoppers send to our numbers.
Everything else (recording, idempotency, retries, what a message means) is
ours and the same for every provider (``marketplace.messaging.services``).

Writing a provider
    Subclass ``MessagingProvider`` (or ``HmacTimestampProvider`` when the
    provider signs ``<timestamp>.<body>`` with a shared secret, as Stripe-style
    webhooks do) and add it to ``MESSAGING_PROVIDERS``; name it for a medium in
    ``MESSAGING_SEND_WITH``::

        MESSAGING_PROVIDERS = {
            "africastalking": {"CLASS": "myproject.sms.AfricasTalking",
                               "SECRET": env("AT_WEBHOOK_SECRET"), "API_KEY": env("AT_API_KEY")},
        }
        MESSAGING_SEND_WITH = {"sms": "africastalking", "whatsapp": "twilio"}

    ``send(*, medium, to, text, key) -> str``
        Send one message (``to`` is E.164) and return the provider's message id.
        ``key`` is ours and the same on every retry of this message: pass it as
        the provider's idempotency key where it has one, so a retry after a
        timeout does not send twice. Raise ``SendFailed`` when the provider
        cannot be reached or answers 5xx/429 (the task retries with backoff),
        ``SendRefused`` when it refuses the message for good (bad number).
    ``verify_and_parse(body, headers) -> Inbound``
        Authenticate the raw body (``hmac.compare_digest``) and raise
        ``InvalidSignature`` / ``StaleMessage`` / ``MalformedMessage``. Twilio
        signs the URL and form fields (``X-Twilio-Signature``); Meta's WhatsApp
        Cloud API signs the body (``X-Hub-Signature-256``) and has no timestamp,
        so check its message timestamp instead. Never write to the database here.
    ``callback_response(*, error=None, duplicate=False)``
        What the provider expects back; 2xx means "stop re-sending".
"""

import hashlib
import hmac
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import HttpResponse, JsonResponse
from django.utils.datastructures import CaseInsensitiveMapping

from marketplace.payments.providers.base import json_depth_exceeds

from .. import conf
from ..exceptions import InvalidSignature, MalformedMessage, StaleMessage

SMS, WHATSAPP = "sms", "whatsapp"
MEDIA = (SMS, WHATSAPP)

#: The longest text we take in or send: 10 concatenated SMS parts; WhatsApp allows 4,096.
MAX_TEXT = {SMS: 1530, WHATSAPP: 4096}


@dataclass(frozen=True)
class Inbound:
    """A provider's verified report of one message a shopper sent to one of our numbers."""

    message_id: str  # the provider's id: the same each time it re-sends this message
    medium: str  # SMS or WHATSAPP
    sender: str  # as the provider wrote it; normalised by the service, per channel
    recipient: str
    text: str
    payload: dict = field(default_factory=dict, compare=False)


class MessagingProvider(ABC):
    #: The largest callback body read (bytes); a larger one is a 413, unread.
    max_body_bytes = 16 * 1024

    def __init__(self, *, code: str, options: Mapping | None = None):
        self.code = code
        self.options = dict(options or {})

    @property
    def secret(self) -> bytes:
        secret = self.options.get("SECRET") or ""
        return secret.encode() if isinstance(secret, str) else secret

    @abstractmethod
    def send(self, *, medium: str, to: str, text: str, key: str) -> str:
        """Send ``text`` to ``to``; the provider's message id."""

    @abstractmethod
    def verify_and_parse(self, body: bytes, headers: Mapping) -> Inbound:
        """Authenticate an inbound callback and read it."""

    def callback_response(self, *, error=None, duplicate: bool = False) -> HttpResponse:
        if error is not None:
            return JsonResponse({"ok": False, "error": error.code}, status=error.http_status)
        return JsonResponse({"ok": True, "duplicate": duplicate})


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>``: a signature that dates the body."""
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def check_signed(secret: bytes, body: bytes, *, timestamp, signature, now: float | None = None) -> None:
    """Refuse a callback not signed with ``secret``, or signed too long ago (or ahead)."""
    if not secret:
        raise InvalidSignature("no secret is configured for this provider")
    if not signature or not timestamp:
        raise InvalidSignature("signature or timestamp missing")
    # Header values arrive as Latin-1 text: non-ASCII is never ours.
    signature, timestamp = signature.strip().lower(), timestamp.strip()
    if not signature.isascii() or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise InvalidSignature("signature or timestamp malformed")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.encode()):
        raise InvalidSignature("signature does not match")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > conf.signature_tolerance():
        raise StaleMessage("timestamp outside the tolerance")


def load_json_object(body: bytes) -> dict:
    """A callback's JSON object; refuse bad UTF-8, deep nesting, NUL and lone surrogates."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedMessage("body is not UTF-8") from exc
    if json_depth_exceeds(text):
        raise MalformedMessage("body nests too deep")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedMessage("body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedMessage("body is not a JSON object")
    try:
        stored = json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedMessage("body holds text that is not Unicode") from exc
    # PostgreSQL refuses NUL in text and jsonb: refused here, before anything is written.
    if b"\\u0000" in stored:
        raise MalformedMessage("body holds a NUL character")
    return data


def parse_inbound(data: dict) -> Inbound:
    """Read ``{message_id, medium, from, to, text}`` (all strings)."""
    fields = {}
    for name, limit in (("message_id", 128), ("medium", 16), ("from", 64), ("to", 64)):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise MalformedMessage(f"{name} missing or not a string")
        fields[name] = value.strip()
    if fields["medium"] not in MEDIA:
        raise MalformedMessage("unknown medium")
    text = data.get("text")
    if not isinstance(text, str) or len(text) > MAX_TEXT[fields["medium"]]:
        raise MalformedMessage("text missing, not a string or too long")
    return Inbound(
        message_id=fields["message_id"], medium=fields["medium"], sender=fields["from"],
        recipient=fields["to"], text=text, payload=data,
    )


class HmacTimestampProvider(MessagingProvider, ABC):
    """A provider that POSTs our JSON callback signed over ``<timestamp>.<body>``."""

    signature_header = "X-Signature"
    timestamp_header = "X-Timestamp"

    def verify_and_parse(self, body: bytes, headers: Mapping) -> Inbound:
        headers = CaseInsensitiveMapping(dict(headers))
        check_signed(
            self.secret, body, timestamp=headers.get(self.timestamp_header),
            signature=headers.get(self.signature_header),
        )
        return parse_inbound(load_json_object(body))

    def signed(self, payload: dict, *, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a callback, as the provider would send them."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
        stamp = str(int(time.time() if timestamp is None else timestamp))
        return body, {
            "Content-Type": "application/json",
            self.timestamp_header: stamp,
            self.signature_header: sign(self.secret, stamp, body),
        }

"""
The sandbox provider: a local stand-in for SMS gateways and the WhatsApp API.

It behaves like the real ones with no network:

- ``send`` checks what a gateway checks (an E.164 mobile number, the length of
  the text) and refuses for good what a gateway refuses; it keeps each message
  in ``SandboxMessage`` (the sandbox "handsets", shown by the
  ``messaging_sandbox`` command) under the caller's idempotency key, so a
  retried send returns the first send's id instead of texting twice.
- ``text_in`` is a shopper texting one of our numbers: it queues
  ``sandbox_deliver_inbound``, which signs the callback (HMAC-SHA256 of
  ``<timestamp>.<body>`` with the shared secret, timestamp in its own header)
  and delivers it as a provider would: to ``inbound_receive`` in-process, or,
  when ``CALLBACK_URL`` is set, by POSTing it over HTTP. A 5xx or an
  unreachable endpoint is retried with backoff, re-signed each time.

Options (``MESSAGING_PROVIDERS["sandbox"]``): ``SECRET`` (the shared HMAC key),
``CALLBACK_URL`` (optional: the full URL of ``/messaging/inbound/sandbox/``).
"""

import logging
import secrets
import urllib.error
import urllib.request

from django.db import IntegrityError, transaction

from ..exceptions import MessagingError, SendFailed, SendRefused
from ..phones import InvalidNumber, normalise, region_of
from .base import MAX_TEXT, MEDIA, HmacTimestampProvider

logger = logging.getLogger(__name__)


class SandboxProvider(HmacTimestampProvider):
    signature_header = "X-Sandbox-Signature"
    timestamp_header = "X-Sandbox-Timestamp"

    def send(self, *, medium: str, to: str, text: str, key: str) -> str:
        from ..models_sandbox import SandboxMessage

        if medium not in MEDIA:
            raise SendRefused(f"unknown medium {medium!r}")
        if not to.startswith("+"):
            raise SendRefused("the number is not in E.164")
        try:
            normalise(to, region=region_of(to) or "ZZ", medium=medium)
        except InvalidNumber as exc:
            raise SendRefused("not a mobile number") from exc
        if not text or len(text) > MAX_TEXT[medium]:
            raise SendRefused("empty or too long")
        existing = SandboxMessage.objects.filter(key=key).first()
        if existing is not None:
            return existing.message_id
        try:
            with transaction.atomic():
                return SandboxMessage.objects.create(
                    key=key, medium=medium, to=to, text=text,
                    message_id=f"SBX{secrets.token_hex(12)}",
                ).message_id
        except IntegrityError:
            return SandboxMessage.objects.get(key=key).message_id

    def text_in(self, *, medium: str, sender: str, recipient: str, text: str,
                message_id: str | None = None) -> dict:
        """A shopper sends ``text`` to ``recipient``: delivered to us after commit."""
        from ..tasks import sandbox_deliver_inbound

        payload = {
            "message_id": message_id or f"SBXIN{secrets.token_hex(12)}", "medium": medium,
            "from": sender, "to": recipient, "text": text,
        }
        transaction.on_commit(lambda: sandbox_deliver_inbound.delay(self.code, payload))
        return payload

    def deliver_inbound(self, payload: dict) -> None:
        body, headers = self.signed(payload)
        url = self.options.get("CALLBACK_URL")
        if url:
            self._post(url, body, headers)
            return
        from ..services import inbound_receive

        try:
            inbound_receive(provider_code=self.code, body=body, headers=headers)
        except MessagingError:
            # Refused for good (a provider stops on 4xx too): retrying cannot help.
            logger.exception("Sandbox inbound message %s refused", payload.get("message_id"))

    def _post(self, url, body, headers):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310  (our own URL)
                return
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                raise SendFailed(f"webhook answered {exc.code}") from exc
            logger.error("Sandbox inbound message refused with %s: %r", exc.code, exc.read(2000))
        except urllib.error.URLError as exc:
            raise SendFailed(f"webhook unreachable: {exc.reason}") from exc

"""
The sandbox provider: a local stand-in for card gateways and mobile-money operators.

It behaves like the real ones with no network. A card payment sends the
shopper to a provider page (``/<cc>/payments/sandbox/<reference>/``) with
Approve and Decline; mobile money sends them to our "approve on your phone"
wait page, and the sandbox "phone" (``…/sandbox/<reference>/phone/``) is where
the prompt is answered. Either answer queues ``sandbox_send_callback`` after
commit, which signs a JSON notification with the sandbox secret and delivers
it as a provider would: to ``payment_handle_notification`` in-process, or, when
``CALLBACK_URL`` is set in its options, by POSTing it over HTTP.

Options (``PAYMENT_PROVIDERS["sandbox"]``): ``SECRET`` (the shared HMAC key),
``MERCHANT_NAME`` (shown on its pages), ``CALLBACK_URL`` (optional: the full
URL of ``/payments/callback/sandbox/`` when a worker should POST to a web process),
``REFUND_CALLBACK_URL`` (the same for ``/payments/callback/sandbox/refunds/``).
"""

import logging
import urllib.error
import urllib.request

from django.db import transaction
from django.urls import reverse

from marketplace.channels.money import quantize

from .. import pages
from ..exceptions import PaymentError
from .base import FAILED, OUTCOMES, SUCCEEDED, HmacJsonProvider

logger = logging.getLogger(__name__)

APPROVE, DECLINE = "approve", "decline"
DECISIONS = {APPROVE: SUCCEEDED, DECLINE: FAILED}


class DeliveryFailed(OSError):
    """The callback endpoint did not take the notification; worth retrying."""


class SandboxProvider(HmacJsonProvider):
    signature_header = "X-Sandbox-Signature"

    def start(self, payment, request) -> str:
        if payment.is_mobile_money:
            return pages.payment_status_url(payment)
        return reverse("payments:sandbox-card", kwargs={"reference": payment.reference})

    def phone_url(self, payment) -> str:
        return reverse("payments:sandbox-phone", kwargs={"reference": payment.reference})

    def decide(self, payment, decision: str) -> None:
        """The shopper answered on the provider page or phone: the provider will call back."""
        from ..tasks import sandbox_send_callback

        outcome = DECISIONS[decision]
        # Each answer is one provider event; a double-click sends the same one twice.
        attempt = payment.notifications.count() + 1
        reference = payment.reference
        transaction.on_commit(lambda: sandbox_send_callback.delay(reference, outcome, attempt))

    def notification(self, payment, *, outcome: str, attempt: int) -> tuple[bytes, dict[str, str]]:
        """The signed body and headers the provider sends about ``payment``."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        return self.signed({
            "event_id": f"sbx_{payment.reference}_{outcome}_{attempt}",
            "reference": payment.reference,
            "status": outcome,
            "amount": str(quantize(payment.amount, payment.currency)),
            "currency": payment.currency,
        })

    def deliver(self, payment, *, outcome: str, attempt: int) -> None:
        body, headers = self.notification(payment, outcome=outcome, attempt=attempt)
        url = self.options.get("CALLBACK_URL")
        if url:
            self._post(url, body, headers)
            return
        from ..services import payment_handle_notification

        try:
            payment_handle_notification(provider_code=self.code, body=body, headers=headers)
        except PaymentError:
            # Refused for good (a provider stops on 4xx too): retrying cannot help.
            logger.exception("Sandbox notification for %s refused", payment.reference)

    def refund(self, refund) -> None:
        """The sandbox takes every refund it is asked for, and calls back once it is done."""
        from ..tasks import sandbox_send_refund_callback

        reference = refund.reference
        transaction.on_commit(lambda: sandbox_send_refund_callback.delay(reference))

    def refund_notification(self, refund) -> tuple[bytes, dict[str, str]]:
        # One event per refund: every delivery (retries included) carries the same id.
        return self.signed({
            "event_id": f"sbx_{refund.reference}_refund",
            "reference": refund.reference,
            "status": SUCCEEDED,
            "amount": str(quantize(refund.amount, refund.currency)),
            "currency": refund.currency,
        })

    def deliver_refund(self, refund) -> None:
        body, headers = self.refund_notification(refund)
        url = self.options.get("REFUND_CALLBACK_URL")
        if url:
            self._post(url, body, headers)
            return
        from ..refunds import refund_handle_notification

        try:
            refund_handle_notification(provider_code=self.code, body=body, headers=headers)
        except PaymentError:
            logger.exception("Sandbox refund notification for %s refused", refund.reference)

    def _post(self, url, body, headers):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310  (our own URL)
                return
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                raise DeliveryFailed(f"callback answered {exc.code}") from exc
            # Whatever answered may not be our JSON (a proxy's error page): log it raw.
            logger.error("Sandbox notification refused with %s: %r", exc.code, exc.read(2000))

"""
What can go wrong with a provider's notification, one type per answer.

Each error carries the HTTP status the callback endpoint answers with, so the
view never decides it (and never answers 500): a provider retries on 5xx, and
none of these gets better by retrying. Raised before anything is written.
"""


class PaymentError(Exception):
    """A notification that was refused; nothing was changed."""

    http_status = 400
    code = "payment_error"


class UnknownProvider(PaymentError):
    """No provider of that code is configured (``PAYMENT_PROVIDERS``)."""

    http_status = 404
    code = "unknown_provider"


class InvalidSignature(PaymentError):
    """The signature is missing or does not match the body: not from the provider."""

    http_status = 400
    code = "invalid_signature"


class MalformedNotification(PaymentError):
    """Signed correctly but not a notification we understand."""

    http_status = 400
    code = "malformed"


class UnknownPayment(PaymentError):
    """No payment of this provider has that reference."""

    http_status = 404
    code = "unknown_payment"


class AmountMismatch(PaymentError):
    """The provider reports another amount than the payment asked for."""

    http_status = 409
    code = "amount_mismatch"


class CurrencyMismatch(PaymentError):
    """The provider reports another currency than the payment asked for."""

    http_status = 409
    code = "currency_mismatch"


class UnknownRefund(PaymentError):
    """No refund through this provider has that reference."""

    http_status = 404
    code = "unknown_refund"


class RefundRefused(Exception):
    """A refund we will not ask for (more than was paid, nothing paid online); says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class RefundUnsupported(Exception):
    """The provider has no refund call: the refund is paid back by hand."""

"""
What can go wrong with an inbound message, one type per answer.

Each error carries the HTTP status the webhook answers with (a provider
retries on 5xx; none of these gets better by retrying). Raised before anything
is written.
"""


class MessagingError(Exception):
    """An inbound callback that was refused; nothing was changed."""

    http_status = 400
    code = "messaging_error"


class UnknownProvider(MessagingError):
    http_status = 404
    code = "unknown_provider"


class InvalidSignature(MessagingError):
    """Signature or timestamp missing, or the signature does not match: not from the provider."""

    http_status = 401
    code = "invalid_signature"


class StaleMessage(MessagingError):
    """Signed, but with a timestamp outside the tolerance: a replay of an old callback."""

    http_status = 401
    code = "stale"


class MalformedMessage(MessagingError):
    """Signed correctly but not a message we understand (or cannot store)."""

    http_status = 400
    code = "malformed"


class UnknownRecipient(MessagingError):
    """Sent to a number that is nobody's here (no active shop has it)."""

    http_status = 404
    code = "unknown_recipient"


class SendFailed(Exception):
    """The provider could not take an outbound message now; worth retrying."""


class SendRefused(Exception):
    """The provider refused an outbound message for good (bad number, too long)."""

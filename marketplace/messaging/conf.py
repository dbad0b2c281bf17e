"""
Messaging settings, with the defaults used when a setting is absent.

- ``MESSAGING_PROVIDERS``: provider code → options (``CLASS``, ``SECRET``, …).
- ``MESSAGING_SEND_WITH``: medium (``sms``, ``whatsapp``) → provider code.
- ``MESSAGING_SIGNATURE_TOLERANCE``: seconds an inbound callback's timestamp may
  be off our clock (either way); older ones are refused as replays.
- ``MESSAGING_REPLY_RATE``: inbound messages from one sender (per channel) that are
  taken per period, as ``"5/h"`` (the throttling rates' syntax); past it, one polite
  reply and nothing more until the period turns.
"""

from django.conf import settings

DEFAULT_TOLERANCE = 300
DEFAULT_REPLY_RATE = "5/h"


def provider_settings() -> dict[str, dict]:
    # No provider unless configured: a default one would need a secret written here.
    return getattr(settings, "MESSAGING_PROVIDERS", {})


def send_with() -> dict[str, str]:
    return getattr(settings, "MESSAGING_SEND_WITH", {})


def signature_tolerance() -> int:
    return int(getattr(settings, "MESSAGING_SIGNATURE_TOLERANCE", DEFAULT_TOLERANCE))


def reply_rate():
    from marketplace.throttling.ratelimit import Rate

    return Rate.parse(getattr(settings, "MESSAGING_REPLY_RATE", DEFAULT_REPLY_RATE) or DEFAULT_REPLY_RATE)

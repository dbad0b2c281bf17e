"""
Messaging settings, with the defaults used when a setting is absent.

- ``MESSAGING_PROVIDERS``: provider code → options (``CLASS``, ``SECRET``, …).
- ``MESSAGING_SEND_WITH``: medium (``sms``, ``whatsapp``) → provider code.
- ``MESSAGING_SIGNATURE_TOLERANCE``: seconds an inbound callback's timestamp may
  be off our clock (either way); older ones are refused as replays.
"""

from django.conf import settings

DEFAULT_TOLERANCE = 300


def provider_settings() -> dict[str, dict]:
    # No provider unless configured: a default one would need a secret written here.
    return getattr(settings, "MESSAGING_PROVIDERS", {})


def send_with() -> dict[str, str]:
    return getattr(settings, "MESSAGING_SEND_WITH", {})


def signature_tolerance() -> int:
    return int(getattr(settings, "MESSAGING_SIGNATURE_TOLERANCE", DEFAULT_TOLERANCE))

"""
Payment settings, with the defaults used when a setting is absent.

- ``PAYMENT_TIMEOUT``: how long an online payment may stay pending before it
  expires and its order is cancelled (stock released). A ``timedelta`` or a
  number of seconds; 15 minutes by default.
- ``PAYMENT_PROVIDERS``: provider code → options, see ``providers``.
"""

from datetime import timedelta

from django.conf import settings

DEFAULT_TIMEOUT = timedelta(minutes=15)
# No provider unless configured: a default one would need a secret written here, which
# anyone could read and sign callbacks with.
DEFAULT_PROVIDERS: dict[str, dict] = {}


def payment_timeout() -> timedelta:
    value = getattr(settings, "PAYMENT_TIMEOUT", DEFAULT_TIMEOUT)
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def provider_settings() -> dict[str, dict]:
    return getattr(settings, "PAYMENT_PROVIDERS", DEFAULT_PROVIDERS)

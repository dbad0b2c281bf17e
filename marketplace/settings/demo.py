"""
The demo (``make run``) and local development (``make dev``): the shared settings,
with secrets of its own and product images served by Django.

The demo is served the way production is: DEBUG off (so an error shows our 500
page, never a traceback, and a 404 never lists the URLconf), static files
collected, hashed and compressed, served by WhiteNoise. ``make dev`` sets
``DEBUG=1`` on top of these settings.

Its secrets (the ``SECRET_KEY`` and the sandbox provider's HMAC key) are made
on first run and kept in ``var/secrets.json`` (``DEMO_SECRETS_FILE``), readable
by its owner only; the environment still wins when it sets them.
"""

from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, MESSAGING_PROVIDERS, PAYMENT_PROVIDERS, env
from .local_secrets import load_or_create

DEMO_SECRETS_FILE = Path(env("DEMO_SECRETS_FILE", default=str(BASE_DIR / "var" / "secrets.json")))
_secrets = load_or_create(DEMO_SECRETS_FILE, ("SECRET_KEY", "PAYMENT_SANDBOX_SECRET", "MESSAGING_SANDBOX_SECRET"))

SECRET_KEY = env("SECRET_KEY", default="") or _secrets["SECRET_KEY"]
PAYMENT_PROVIDERS["sandbox"]["SECRET"] = (
    env("PAYMENT_SANDBOX_SECRET", default="") or _secrets["PAYMENT_SANDBOX_SECRET"]
)
MESSAGING_PROVIDERS["sandbox"]["SECRET"] = (
    env("MESSAGING_SANDBOX_SECRET", default="") or _secrets["MESSAGING_SANDBOX_SECRET"]
)

# No web server in front of the demo: Django serves the product images.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

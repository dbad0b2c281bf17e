"""Production: secrets must come from the environment; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import MESSAGING_PROVIDERS, MESSAGING_SEND_WITH, PAYMENT_PROVIDERS, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

# The sandbox payment provider is for demos and tests: off in production unless
# asked for, and then only with a real secret.
if env.bool("PAYMENT_SANDBOX_ENABLED", default=False):
    PAYMENT_PROVIDERS["sandbox"]["SECRET"] = env("PAYMENT_SANDBOX_SECRET")
else:
    PAYMENT_PROVIDERS.pop("sandbox", None)

# The same for the messaging sandbox; with it off, a medium it would have sent is sent by
# nobody until MESSAGING_SMS_PROVIDER / MESSAGING_WHATSAPP_PROVIDER name a real provider.
if env.bool("MESSAGING_SANDBOX_ENABLED", default=False):
    MESSAGING_PROVIDERS["sandbox"]["SECRET"] = env("MESSAGING_SANDBOX_SECRET")
else:
    MESSAGING_PROVIDERS.pop("sandbox", None)
    MESSAGING_SEND_WITH = {m: c for m, c in MESSAGING_SEND_WITH.items() if c != "sandbox"}

# Production sits behind a proxy (it trusts X-Forwarded-Proto above): the client is the
# address that proxy appends to X-Forwarded-For (set 0 when nothing is in front).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# A provider's secret authenticates the callbacks that mark orders paid: refuse to
# start with one that is missing, empty or short enough to guess (32 characters at least).
MIN_PROVIDER_SECRET_LENGTH = 32
for _name, _code, _options in [
    *(("PAYMENT_PROVIDERS", c, o) for c, o in PAYMENT_PROVIDERS.items()),
    *(("MESSAGING_PROVIDERS", c, o) for c, o in MESSAGING_PROVIDERS.items()),
]:
    if "SECRET" in _options and len(_options["SECRET"] or "") < MIN_PROVIDER_SECRET_LENGTH:
        raise ImproperlyConfigured(
            f"{_name}[{_code!r}]['SECRET'] must be set to a real secret "
            f"of at least {MIN_PROVIDER_SECRET_LENGTH} characters"
        )

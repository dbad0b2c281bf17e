"""Test settings: the same as base, fast hashing, emails kept in memory."""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

# ``make test`` runs the suite in parallel (pytest-xdist). Every test clears the shared cache
# (Redis: FLUSHDB), so each worker process gets a Redis database of its own, the one after
# REDIS_URL's for gw0 and so on (its PostgreSQL database is pytest-django's, suffixed per
# worker). Set before ``base`` reads REDIS_URL for the cache, Celery and the flash sales.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _url = urlsplit(os.environ["REDIS_URL"])
    _db = int(_url.path.strip("/") or 0) + 1 + int(_worker[2:])
    if _db > 15:
        raise RuntimeError(f"REDIS_URL's database plus the test workers pass Redis's 16 ({_worker})")
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))

from .base import *  # noqa: E402,F401,F403
from .base import CACHES, MESSAGING_PROVIDERS, PAYMENT_PROVIDERS, REDIS_URL, STORAGES  # noqa: E402

# Throwaway secrets, new for each test process (tests that sign set their own).
SECRET_KEY = secrets.token_urlsafe(48)
PAYMENT_PROVIDERS["sandbox"]["SECRET"] = secrets.token_urlsafe(32)
MESSAGING_PROVIDERS["sandbox"]["SECRET"] = secrets.token_urlsafe(32)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
SERVE_MEDIA = True
# Tests do not run collectstatic: static files come unhashed from the apps' folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
if REDIS_URL:
    # Keep test runs from reading each other's (or the demo's) cache entries.
    CACHES["default"]["KEY_PREFIX"] = "marketplace-test"
else:
    # One test process (the browser tests' live server is a thread of it): its own memory
    # keeps parallel runs in other checkouts from sharing var/cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

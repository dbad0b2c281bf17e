"""Test settings: the same as base, fast hashing, emails kept in memory."""

import secrets

from .base import *  # noqa: F401,F403
from .base import CACHES, MESSAGING_PROVIDERS, PAYMENT_PROVIDERS, REDIS_URL, STORAGES

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

"""Messaging fixtures: the sandbox provider with a known secret, and tasks that fail like a worker."""

import pytest

SECRET = "test-messaging-secret"


@pytest.fixture(autouse=True)
def _messaging_settings(settings):
    settings.MESSAGING_PROVIDERS = {
        "sandbox": {"CLASS": "marketplace.messaging.providers.sandbox.SandboxProvider",
                    "SECRET": SECRET},
    }
    settings.MESSAGING_SEND_WITH = {"sms": "sandbox", "whatsapp": "sandbox"}
    settings.MESSAGING_SIGNATURE_TOLERANCE = 300


@pytest.fixture
def worker_like_errors():
    """Tasks handle their own failures (retry, give up) instead of raising into the test."""
    from marketplace.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous

"""Outbound messages: queued with the caller's transaction, sent once, retried with backoff."""

from unittest import mock

import pytest
from django.db import transaction

from marketplace.messaging import services, tasks
from marketplace.messaging.exceptions import SendFailed, SendRefused
from marketplace.messaging.models import OutboundMessage, SandboxMessage
from marketplace.messaging.providers.sandbox import SandboxProvider

pytestmark = pytest.mark.django_db


def queue(channel, key="k-1", to="+2348051234567"):
    return services.message_queue(key=key, medium="sms", to=to, text="Bonjour", language="fr",
                                  channel=channel)


def test_queued_then_sent_after_commit_once_per_key(channel_ngn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(channel_ngn)
        again = queue(channel_ngn)
    assert first.pk == again.pk
    first.refresh_from_db()
    assert first.status == OutboundMessage.SENT and first.attempts == 1
    assert SandboxMessage.objects.get().message_id == first.provider_message_id
    tasks.send_message.delay(first.pk)  # a task run twice sends nothing more
    assert SandboxMessage.objects.count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(channel_ngn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue(channel_ngn)
                raise RuntimeError("the order failed")
        except RuntimeError:
            pass
    assert not OutboundMessage.objects.exists() and not SandboxMessage.objects.exists()


def test_an_unreachable_provider_is_retried_with_backoff_then_sent(
    channel_ngn, worker_like_errors, django_capture_on_commit_callbacks,
):
    real = SandboxProvider.send
    calls = []

    def flaky(self, **kwargs):
        calls.append(kwargs)
        if len(calls) < 3:
            raise SendFailed("gateway timeout")
        return real(self, **kwargs)

    countdowns = []
    real_retry = tasks.send_message.retry

    def retry(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return real_retry(*args, **kwargs)

    with mock.patch.object(SandboxProvider, "send", flaky), \
            mock.patch.object(tasks.send_message, "retry", retry), \
            django_capture_on_commit_callbacks(execute=True):
        message = queue(channel_ngn)
    message.refresh_from_db()
    assert message.status == OutboundMessage.SENT and message.attempts == 3
    assert len(countdowns) == 2 and all(c >= 0 for c in countdowns)
    assert {c["key"] for c in calls} == {"k-1"}  # the same idempotency key on every retry
    assert SandboxMessage.objects.count() == 1


def test_gives_up_after_its_retries(channel_ngn, worker_like_errors, django_capture_on_commit_callbacks):
    failing = mock.Mock(side_effect=SendFailed("down"))
    with mock.patch.object(SandboxProvider, "send", failing), \
            django_capture_on_commit_callbacks(execute=True):
        message = queue(channel_ngn)
    message.refresh_from_db()
    assert failing.call_count == tasks.MAX_RETRIES + 1
    assert message.status == OutboundMessage.FAILED and "gave up" in message.error


def test_a_refused_message_is_not_retried(channel_ngn, django_capture_on_commit_callbacks):
    refused = mock.Mock(side_effect=SendRefused("not a mobile number"))
    with mock.patch.object(SandboxProvider, "send", refused), \
            django_capture_on_commit_callbacks(execute=True):
        message = queue(channel_ngn)
    message.refresh_from_db()
    assert refused.call_count == 1 and message.status == OutboundMessage.FAILED


def test_no_provider_for_the_medium_sends_nothing(settings, channel_ngn, django_capture_on_commit_callbacks):
    settings.MESSAGING_SEND_WITH = {}
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(channel_ngn)
    message.refresh_from_db()
    assert message.status == OutboundMessage.FAILED and not SandboxMessage.objects.exists()

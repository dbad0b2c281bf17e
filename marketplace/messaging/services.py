"""
Messages change here: queue an outbound one, send it (the task), take an inbound one.

Outbound messages are written in the caller's transaction and sent after it
commits, so a rolled-back order never texts anybody. Sending is in three short
steps (count the attempt, call the provider unlocked, record the outcome); the
idempotency key goes to the provider, so a retry after a timeout sends once.
"""

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import ratelimit, routing
from .exceptions import SendFailed, SendRefused
from .models import InboundMessage, OutboundMessage
from .providers import get_provider, sender_for

logger = logging.getLogger(__name__)


def message_queue(
    *, key: str, medium: str, to: str, text: str, language: str, channel, sender: str = "",
    in_reply_to=None,
) -> OutboundMessage:
    """Queue a message once per ``key``; sent after the current transaction commits."""
    existing = OutboundMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                key=key, medium=medium, to=to, text=text, language=language, channel=channel,
                sender=sender, in_reply_to=in_reply_to,
            )
    except IntegrityError:
        return OutboundMessage.objects.get(key=key)  # queued meanwhile by a concurrent caller
    from .tasks import send_message

    pk = message.pk
    transaction.on_commit(lambda: send_message.delay(pk))
    return message


def _finish(pk: int, **fields) -> None:
    OutboundMessage.objects.filter(pk=pk, status=OutboundMessage.QUEUED).update(**fields)


def message_send(message_id: int) -> OutboundMessage | None:
    """Send one queued message; raise ``SendFailed`` to be retried. Safe to run twice."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboundMessage.QUEUED:
            return message
        provider = sender_for(message.medium)
        if provider is None:
            message.status, message.error = OutboundMessage.FAILED, "no provider for this medium"
            message.save(update_fields=["status", "error"])
            logger.warning("No %s provider configured: message %s not sent", message.medium, message.pk)
            return message
        message.attempts += 1
        message.provider = provider.code
        message.save(update_fields=["attempts", "provider"])
    # The provider is called with no row locked (it may take seconds).
    try:
        provider_id = provider.send(
            medium=message.medium, to=message.to, text=message.text, key=message.key
        )
    except SendRefused as exc:
        _finish(message.pk, status=OutboundMessage.FAILED, error=str(exc)[:255])
        logger.warning("Message %s refused by %s: %s", message.pk, provider.code, exc)
        return message
    except SendFailed as exc:
        OutboundMessage.objects.filter(pk=message.pk).update(error=str(exc)[:255])
        raise
    _finish(message.pk, status=OutboundMessage.SENT, provider_message_id=str(provider_id)[:128],
            date_sent=timezone.now(), error="")
    return message


def message_give_up(message_id: int, error: Exception) -> None:
    """The provider stayed unreachable through every retry."""
    _finish(message_id, status=OutboundMessage.FAILED, error=f"gave up: {error}"[:255])
    logger.error("Message %s not sent after its retries: %s", message_id, error)


def _too_many(channel) -> routing.Reply:
    with translation.override(channel.default_language):
        text = _("You have sent too many messages for now. Please wait a while before you "
                 "send another.")
    return routing.Reply(text=text, language=channel.default_language)


def _answer(found: routing.Route, message: InboundMessage) -> routing.Reply | None:
    """What the recipient does with a new message, within the sender's reply rate: past it,
    the first message gets a polite reply and no order, later ones nothing at all (each
    reply costs a text)."""
    count, limit = ratelimit.count_inbound(message)
    if count <= limit:
        return found.handle(message)
    logger.warning("Inbound message %s over the reply rate (%d of %d)", message.pk, count, limit)
    if count > limit + 1:
        return None
    if found.over_rate is not None:
        return found.over_rate(message)
    return _too_many(found.channel)


def inbound_receive(*, provider_code: str, body: bytes, headers: Mapping) -> tuple[InboundMessage, bool]:
    """Take an inbound callback once: (the message, whether it is new).

    Raises a ``MessagingError`` (nothing written) when the callback is not
    authentic, stale, malformed or for nobody here. The same provider message
    id again (a re-sent webhook, or a replay with a fresh signature) is
    answered as a duplicate and changes nothing.
    """
    provider = get_provider(provider_code)
    inbound = provider.verify_and_parse(body, headers)
    found = routing.route(inbound)
    with transaction.atomic():
        existing = InboundMessage.objects.filter(
            provider=provider_code, message_id=inbound.message_id
        ).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    provider=provider_code, message_id=inbound.message_id, medium=inbound.medium,
                    sender=found.sender, recipient=found.recipient, text=inbound.text,
                    channel=found.channel,
                )
        except IntegrityError:
            # A concurrent delivery of the same message won (PostgreSQL waited for it).
            return InboundMessage.objects.get(provider=provider_code, message_id=inbound.message_id), False
        reply = _answer(found, message)
        if reply is not None:
            message_queue(
                key=f"reply:{message.pk}", medium=message.medium, to=message.sender,
                sender=message.recipient, text=reply.text, language=reply.language,
                channel=found.channel, in_reply_to=message,
            )
    return message, True

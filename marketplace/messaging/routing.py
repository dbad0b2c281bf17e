"""
Who an inbound message is for. Messaging knows numbers, not shops: an app that
owns numbers (partner retail) registers a router in its ``ready()``.

A router gets the verified ``Inbound`` and returns a ``Route`` (the channel,
the sender's and recipient's numbers as E.164, and what to do with the
recorded message) or None when the number is not its. It may raise
``MalformedMessage`` (a sender that is not a phone number). It must not write.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .exceptions import UnknownRecipient


@dataclass(frozen=True)
class Reply:
    text: str
    language: str


@dataclass(frozen=True)
class Route:
    channel: object
    sender: str
    recipient: str
    #: Called inside the transaction that records the message, once per message id.
    handle: Callable[..., Reply | None]
    #: Instead of ``handle`` for the first message of a sender past ``MESSAGING_REPLY_RATE``
    #: (``ratelimit``): the polite reply. None: a general one in the channel's language.
    over_rate: Callable[..., Reply | None] | None = None


_routers: list[Callable] = []


def register_router(router) -> None:
    if router not in _routers:
        _routers.append(router)


def route(inbound) -> Route:
    for router in _routers:
        found = router(inbound)
        if found is not None:
            return found
    raise UnknownRecipient(inbound.recipient[:32])

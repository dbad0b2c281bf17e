"""
Help requests: opened by shoppers, answered by agents. Services write; each is one transaction.

A request tied to an order must be about the shopper's own order: a signed-in
shopper's, or (for a guest) an order placed here with the e-mail address given,
as the order lookup checks it. An agent's reply is e-mailed to the shopper by a
Celery task queued after commit; the shopper answers on the request's page.
"""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.order.models import Order
from marketplace.order.numbers import ALPHABET

from .models import HelpMessage, HelpRequest

_SALT = "helpdesk.request"


class HelpError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def reference_for(channel) -> str:
    """``NG-H7K4M9X``: the channel's code, H for help, six characters easy to spell over the phone."""
    return f"{channel.code.upper()}-H{''.join(secrets.choice(ALPHABET) for _ in range(6))}"


def access_token(request: HelpRequest) -> str:
    """What the request's page address carries: only its shopper (and their e-mail) knows it."""
    return signing.Signer(salt=_SALT).sign(request.reference).split(":", 1)[1]


def token_matches(request: HelpRequest, token: str) -> bool:
    return secrets.compare_digest(access_token(request), token or "")


def _order_of(*, channel, user, email: str, number: str):
    if not number:
        return None
    orders = Order.objects.filter(number=number.strip().upper(), channel=channel)
    if user is not None and user.is_authenticated:
        orders = orders.filter(user=user)
    else:
        orders = orders.filter(Q(guest_email__iexact=email) | Q(user__email__iexact=email))
    order = orders.first()
    if order is None:
        raise HelpError(_("No order here matches that number and e-mail address."))
    return order


def help_request_open(*, channel, user, name: str, email: str, topic: str, body: str,
                      order_number: str = "", language: str) -> HelpRequest:
    order = _order_of(channel=channel, user=user, email=email, number=order_number)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = HelpRequest.objects.create(
                    channel=channel, reference=reference_for(channel), order=order,
                    user=user if user is not None and user.is_authenticated else None,
                    name=name, email=email, topic=topic, language=language,
                )
                HelpMessage.objects.create(request=request, body=body, author=request.user)
                return request
        except IntegrityError:
            continue  # a reference drawn twice: draw again
    raise HelpError(_("Please try again in a moment."))


def shopper_reply(*, request: HelpRequest, body: str) -> HelpMessage:
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=request.pk)
        message = HelpMessage.objects.create(request=locked, body=body, author=locked.user)
        locked.status = HelpRequest.OPEN
        locked.save(update_fields=["status", "date_updated"])
    return message


def agent_reply(*, request: HelpRequest, agent, body: str) -> HelpMessage:
    """The agent's answer, e-mailed to the shopper once committed."""
    from .tasks import send_reply

    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=request.pk)
        message = HelpMessage.objects.create(request=locked, body=body, author=agent, from_agent=True)
        locked.status = HelpRequest.ANSWERED
        locked.save(update_fields=["status", "date_updated"])
        transaction.on_commit(lambda: send_reply.delay(message.pk))
    return message

"""
The short path from a won claim to a placed order: one page, one POST.

The page and its POST are the checkout's one-page checkout (``checkout.onepage.OnePage``,
its form ``checkout.forms.OnePageCheckoutForm``) for the claim's basket; what is the
flash sale's own is here: finding the claim and saying why it cannot be ordered.

The page (``views.short_checkout``) asks only what the order needs that the shopper
has not given yet: a guest's e-mail, the delivery address (its phone validated for
the channel's country, as the regular checkout's form does), a delivery option and
a payment option. A signed-in shopper's default address of the country fills it in.
The POST places the order through ``order.services.order_place``, the regular
checkout's service: the same re-checked prices, the same allocation (the claim's
held units become the order's, ``conversion``), the same checkout key per basket
(a repeated or concurrent submission gets the one order), at exactly the total
the page showed beside the chosen delivery option.

``claim_for`` finds the claim a URL names (its reservation's token), or the
shopper's current one, and says plainly why it cannot be checked out: unknown or
another shopper's (404), already ordered, expired or the sale ended (410).
"""

import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.checkout.forms import OnePageCheckoutForm
from marketplace.order.models import Order

from . import rules
from .admission import LINE_PREFIX
from .models import AcceptedOrder, Reservation
from .selectors import reservation_by_token

NOT_FOUND = _("This flash-sale claim does not exist or is not yours.")
NO_CLAIM = _("You have no flash-sale claim waiting for an order.")
ALREADY_ORDERED = _("This flash-sale claim has already been ordered.")
CLAIM_EXPIRED = _("Your flash-sale claim expired and its unit went back to the sale. You can try to claim another.")
SALE_ENDED = _("This flash sale has ended: your claim can no longer be ordered.")
# The session's accepted orders' numbers (``accepting``): its confirmation pages.
ACCEPTED_KEY = "flash_accepted_orders"


@dataclass(frozen=True)
class Found:
    reservation: Reservation | None
    # None when the claim can be checked out; else the refusal and its HTTP status.
    message: str | None = None
    status: int = 200
    # The order this session already placed for the claim (a repeated submission).
    placed_order_id: int | None = None
    # ... or accepted (``accepting``): its number.
    accepted_number: str | None = None


def claim_for(*, token: str | None, basket, session, user=None) -> Found:
    """The claim (reservation) ``token`` names in this shopper's basket, or the basket's latest.

    The basket holding the claim's line is the proof it is the shopper's (a guest's
    basket merged into their account's at sign-in brings the line along).
    """
    moment = timezone.now()
    held = set()
    if basket.pk is not None:
        held = {line.line_reference[len(LINE_PREFIX):] for line in basket.all_lines()
                if (line.line_reference or "").startswith(LINE_PREFIX)}
    if token is None:
        reservation = None
        tokens = [parsed for parsed in map(_uuid, held) if parsed is not None]
        if tokens:
            reservation = (Reservation.objects.select_related("item__sale")
                           .filter(token__in=tokens, status=Reservation.RESERVED, expires_at__gt=moment)
                           .order_by("-pk").first())
        if reservation is None:
            return Found(None, NO_CLAIM, 404)
    else:
        parsed = _uuid(token)
        reservation = reservation_by_token(parsed) if parsed is not None else None
        if reservation is None:
            return Found(None, NOT_FOUND, 404)
    if reservation.status == Reservation.ORDERED and reservation.basket_id is not None:
        number = _accepted_number(reservation, from_here=reservation.basket_id == basket.pk and
                                  str(reservation.token) in held, session=session, user=user)
        if number is not None:
            return Found(reservation, accepted_number=number)
    placed = session.get("checkout_order_id")
    if reservation.status == Reservation.ORDERED and reservation.order_id is not None and (
        reservation.order_id == placed
        # Placed from this very basket by another tab whose answer (and session) has not
        # been written yet: the same submission, not another shopper's order.
        or (basket.pk is not None and str(reservation.token) in held
            and Order.objects.filter(pk=reservation.order_id, basket_id=basket.pk).exists())
    ):
        return Found(reservation, placed_order_id=reservation.order_id)
    if str(reservation.token) not in held:
        # Another shopper's claim (or this one's, ordered in another session): never shown.
        return Found(None, NOT_FOUND, 404)
    if reservation.status == Reservation.ORDERED:
        return Found(reservation, ALREADY_ORDERED, 410)
    if reservation.status != Reservation.RESERVED or reservation.expires_at <= moment:
        return Found(reservation, CLAIM_EXPIRED, 410)
    if reservation.item.sale.state(moment) != rules.LIVE:
        return Found(reservation, SALE_ENDED, 410)
    return Found(reservation)


def _accepted_number(reservation, *, from_here: bool, session, user) -> str | None:
    """The number of the order accepted (``accepting``) from the claim's basket, if this shopper's:
    accepted by their account or in this session, or from this very basket by another tab whose
    answer has not been written yet (the same submission)."""
    accepted = AcceptedOrder.objects.filter(basket_id=reservation.basket_id)
    if not from_here:
        if user is not None and user.is_authenticated:
            accepted = accepted.filter(user=user)
        elif session.get(ACCEPTED_KEY):
            accepted = accepted.filter(number__in=session[ACCEPTED_KEY])
        else:
            return None
    return accepted.values_list("number", flat=True).first()


def _uuid(text: str):
    try:
        return uuid.UUID(text) if len(text) <= 36 else None
    except ValueError:
        return None


# The page's form is the one-page checkout's (the name stays for what imports it here).
ShortCheckoutForm = OnePageCheckoutForm

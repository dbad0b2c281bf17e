"""
The terms of a basket line holding a flash-sale reservation, for the strategy.

Registered with ``partner.sale_terms`` when the app is ready: the strategy prices
such a line at the sale price (with the channel's tax), for at most the reserved
units, and refuses it with a plain message once the reservation has expired or
the sale is over. Lines of ordinary listings are answered ``None`` without a
query (their ``line_reference`` says they are not ours).
"""

import uuid

from django.utils.translation import gettext as _

from marketplace.localisation.catalogue import product_title
from marketplace.partner.sale_terms import LineTerms

from . import messages, rules
from .admission import LINE_PREFIX
from .models import Reservation
from .selectors import reservation_by_token

_MISSING = object()


def line_reservation(line) -> Reservation | None:
    """The reservation a basket line holds (read once per line object), or None."""
    reference = line.line_reference or ""
    if not reference.startswith(LINE_PREFIX):
        return None
    found = line.__dict__.get("_flash_reservation", _MISSING)
    if found is _MISSING:
        try:
            token = uuid.UUID(reference[len(LINE_PREFIX):])
        except ValueError:
            found = None
        else:
            found = reservation_by_token(token)
        line.__dict__["_flash_reservation"] = found
    return found


def reservation_terms(*, line, channel, moment) -> LineTerms | None:
    reference = line.line_reference or ""
    if not reference.startswith(LINE_PREFIX):
        return None
    reservation = line_reservation(line)
    title = product_title(line.product)
    if reservation is None or reservation.item.listing_id != line.stockrecord_id:
        return LineTerms(price_excl_tax=line.price_excl_tax or 0, quantity=0,
                         refusal=messages.EXPIRED % {"title": title})
    item = reservation.item
    terms = {"price_excl_tax": item.sale_price, "quantity": reservation.quantity, "allocated": True}
    if reservation.status == Reservation.ORDERED and reservation.basket_id == line.basket_id:
        return LineTerms(**terms)  # the order's own line, read again after it was placed
    if reservation.status != Reservation.RESERVED or reservation.expires_at <= moment:
        return LineTerms(**terms, refusal=messages.EXPIRED % {"title": title})
    if item.sale.state(moment) != rules.LIVE:
        return LineTerms(**terms, refusal=messages.ENDED_BEFORE_ORDER % {"title": title})
    if line.quantity > reservation.quantity:
        return LineTerms(**terms, refusal=_("Only the units reserved for you can be bought at the sale price."))
    return LineTerms(**terms, expires_at=reservation.expires_at)

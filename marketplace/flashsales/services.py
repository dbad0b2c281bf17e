"""
Flash-sale services: validate and run sales (back office), sweep reservations (beat).

Admission (claims) is ``admission``; placing an order is ``conversion``.
"""

import logging
from datetime import datetime

import redis
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.exclusives import rules as exclusivity
from marketplace.exclusives.selectors import rules_in_force
from marketplace.pagecache.versions import bump, bump_basket

from . import admission, holds, redis_claims, rules
from .models import Reservation, Sale, SaleItem

logger = logging.getLogger(__name__)

PRICE_ERRORS = {
    "not_positive": _("The sale price must be a positive amount."),
    "precision": _("The sale price has more decimals than the currency has."),
    "not_lower": _("The sale price must be lower than the listing's price."),
}
UNITS_ERRORS = {
    "no_units": _("Put at least one unit on sale."),
    "more_than_stock": _("More units than the listing has in stock (not already allocated)."),
    "per_shopper": _("The limit per shopper is at least one."),
    "per_order": _("The limit per order is between one and the limit per shopper."),
}


def validate_item(*, sale: Sale, listing, sale_price, units: int, per_shopper: int,
                  per_order: int | None, item_id: int | None = None, channel_ids=None) -> None:
    """Raise ``ValidationError`` (per field) when the listing cannot go on this sale like this."""
    errors: dict[str, list] = {}
    if listing.partner_id != sale.seller_id:
        errors.setdefault("listing", []).append(_("Only the sale's seller's own listings can be put on it."))
    if channel_ids is None and sale.pk:
        channel_ids = list(sale.channels.values_list("pk", flat=True))
    if channel_ids is not None and listing.channel_id not in channel_ids:
        errors.setdefault("listing", []).append(_("This listing is in a channel the sale does not run in."))
    moment = max(timezone.now(), sale.starts_at)
    in_force = rules_in_force(channel=listing.channel, moment=moment)
    if in_force and exclusivity.excluding_rule(exclusivity.Listing.from_stockrecord(listing), in_force, moment):
        errors.setdefault("listing", []).append(
            _("Another official store holds an exclusive on this product here: it cannot be put on sale.")
        )
    currency = listing.channel.currency
    for code in rules.sale_price_errors(sale_price=sale_price, listing_price=listing.price, currency=currency):
        errors.setdefault("sale_price", []).append(PRICE_ERRORS[code])
    already = 0
    if item_id:  # its own held units are the listing's allocated ones
        already = SaleItem.objects.filter(pk=item_id).values_list("units_held", flat=True).first() or 0
    free = (listing.num_in_stock or 0) - (listing.num_allocated or 0) + already
    for code in rules.units_errors(units=units, free_stock=free, per_shopper=per_shopper, per_order=per_order):
        errors.setdefault("per_order_limit" if code == "per_order" else
                          "per_shopper_limit" if code == "per_shopper" else "units", []).append(UNITS_ERRORS[code])
    if errors:
        raise ValidationError(errors)


def sale_submit(*, sale: Sale) -> Sale:
    return _move(sale, to=Sale.SUBMITTED, allowed=(Sale.DRAFT,),
                 refusal=_("Only a draft sale can be submitted for approval."))


def sale_approve(*, sale: Sale, actor) -> Sale:
    """Approve a sale: its units are held out of the listings' regular stock from now on."""
    if not sale.items.exists():
        raise ValidationError(_("A sale with no items cannot be approved."))
    return _move(sale, to=Sale.APPROVED, allowed=(Sale.DRAFT, Sale.SUBMITTED), approved_by=actor,
                 refusal=_("Only a draft or submitted sale can be approved."), then=_hold)


def sale_stop(*, sale: Sale, actor) -> Sale:
    """End a sale now: no claim is granted after this, and no reservation becomes an order.

    The units still held go back to the listings' regular stock.
    """
    return _move(sale, to=Sale.STOPPED, allowed=(Sale.DRAFT, Sale.SUBMITTED, Sale.APPROVED),
                 stopped_at=timezone.now(), refusal=_("This sale is stopped already."),
                 then=lambda sale: holds.sale_release(sale_id=sale.pk))


def _hold(sale: Sale) -> None:
    try:
        holds.sale_hold(sale=sale)
    except holds.NotEnoughStock as short:
        raise ValidationError(
            _("“%(listing)s” has fewer free units in stock than the sale puts on it.") % {"listing": short.item.listing}
        ) from short


def _move(sale: Sale, *, to: str, allowed, refusal, then=None, **fields) -> Sale:
    # Locked and saved (not ``update()``): the audit, the cached cards, Redis's copy
    # and the pages follow the save's signals.
    with transaction.atomic():
        locked = Sale.objects.select_for_update().get(pk=sale.pk)
        if locked.status not in allowed:
            raise ValidationError(refusal)
        locked.status = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields])
        if then is not None:
            then(locked)
    return locked


def reservations_sweep(moment: datetime | None = None) -> int:
    """Write expired reservations down and give their units back; the number of reservations."""
    moment = moment or timezone.now()
    # Ended sales give back the units no order took.
    holds.ended_release(moment=moment)
    overdue = Reservation.objects.filter(status=Reservation.RESERVED, expires_at__lte=moment)
    swept = 0
    for item_id in sorted(set(overdue.filter(via_redis=False).values_list("item_id", flat=True))):
        counters = SaleItem.objects.filter(pk=item_id).values("units", "units_taken", "listing__channel_id").first()
        if admission.give_back_overdue(item_id=item_id, moment=moment):
            swept += 1
            if counters["units_taken"] >= counters["units"]:
                # A sold-out item has units again: its pages say so (no-JS shoppers too).
                bump(channel_ids=[counters["listing__channel_id"]])
    redis_items = sorted(set(overdue.filter(via_redis=True).values_list("item_id", flat=True)))
    if redis_items:
        # Redis gave these units back already at their expiry (its scripts purge first);
        # the rows say so now. A reservation ordered meanwhile is not reserved any more.
        expired = overdue.filter(via_redis=True)
        baskets = set(expired.values_list("basket_id", flat=True))
        swept += expired.update(status=Reservation.EXPIRED)
        for basket_id in baskets:
            bump_basket(basket_id)  # the header's basket shows the regular price again
        for item_id in redis_items:
            try:
                redis_claims.run("left", item_id)
            except redis.RedisError:
                logger.warning("flash-sale sweep: Redis is down, item %s purged at its next claim", item_id)
    return swept

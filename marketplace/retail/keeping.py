"""
The partner shop a visit keeps (issue 12, item 4): a shopper who orders through a
shop's own page stays with that shop for the rest of the visit, until they leave it
(the "Leave this shop" button). Meanwhile the basket takes only that shop's items: a
``basket.hooks`` check refuses another seller's with a 409 page offering to leave.

Kept in the session, per channel, from the first item added on the shop's page (the
page itself is served from the page cache, which writes no session).
"""

from .models import Retailer


def _key(channel) -> str:
    return f"retail_shop_{channel.code}"


def keep_shop(request, retailer: Retailer) -> None:
    key = _key(request.channel)
    if request.session.get(key) != retailer.pk:
        request.session[key] = retailer.pk


def leave_shop(request) -> None:
    request.session.pop(_key(request.channel), None)


def kept_shop(request) -> Retailer | None:
    """The active shop of this channel the visit keeps; no query when it keeps none."""
    channel = getattr(request, "channel", None)
    session = getattr(request, "session", None)
    if channel is None or session is None:
        return None
    pk = session.get(_key(channel))
    if not isinstance(pk, int):
        return None
    retailer = (
        Retailer.objects.filter(pk=pk, channel=channel, is_active=True).select_related("partner").first()
    )
    if retailer is None:
        leave_shop(request)  # closed or deactivated meanwhile: the visit is free again
    return retailer


def refuse_other_sellers(request, *, basket, product, stockrecord):
    """A ``basket.hooks`` check: while a shop is kept, only its listings go in the basket."""
    from marketplace.basket.hooks import Refusal

    retailer = kept_shop(request)
    if retailer is None or (stockrecord is not None and stockrecord.partner_id == retailer.partner_id):
        return None
    return Refusal(template="retail/shop_kept.html", context={"retailer": retailer}, status=409)

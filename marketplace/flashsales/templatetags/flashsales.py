"""
Flash sales on storefront pages: ``{% flash_sale_strip %}`` (the channel home's
strip: the live sale and the next one) and ``{% flash_sale_badge product %}``
(a product or store page: the sale state of its listing here), and
``{% flash_sale_store_strip store %}`` (a store's page: that store's live sale
and its next one, each item with its state).

Both go through the page cache like the rest of the page: a sale starting or
ending, stopping, or an item selling out renders the pages afresh; units left
between those moments are kept current by the strip's poll (static JS).
"""

from django import template
from django.utils import timezone

from .. import rules
from ..counts import units_left_many
from ..presentation import item_views
from ..selectors import shown_item_for_listing, strip_sales

register = template.Library()


def _strategy(context):
    request = context.get("request")
    return getattr(request, "strategy", None), request


@register.inclusion_tag("flashsales/strip.html", takes_context=True)
def flash_sale_strip(context, limit=6):
    return _strip(context, limit=limit)


@register.inclusion_tag("flashsales/strip.html", takes_context=True)
def flash_sale_store_strip(context, store, limit=12):
    """A store's own sales (it is their seller), read like the home strip: no query."""
    return _strip(context, limit=limit, seller_id=store.pk)


def _strip(context, *, limit, seller_id=None):
    strategy, request = _strategy(context)
    if strategy is None or getattr(strategy, "channel", None) is None:
        return {"sales": []}
    moment = timezone.now()
    sales = []
    for sale in strip_sales(strategy.channel, moment, seller_id=seller_id):
        if sale is None:
            continue
        items = sale.channel_items[:limit]
        sales.append({
            "sale": sale, "state": sale.state(moment),
            "items": item_views(sale, items, strategy=strategy, language=request.LANGUAGE_CODE, moment=moment,
                                lefts=units_left_many(items)),
        })
    return {"sales": sales, "request": request, "LIVE": rules.LIVE, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("flashsales/badge.html", takes_context=True)
def flash_sale_badge(context, product, listing=None):
    strategy, request = _strategy(context)
    if strategy is None or getattr(strategy, "channel", None) is None:
        return {}
    listing = listing or strategy.fetch_for_product(product).stockrecord
    if listing is None:
        return {}
    item = shown_item_for_listing(strategy.channel, listing.pk)
    if item is None:
        return {}
    moment = timezone.now()
    view = item_views(item.sale, [item], strategy=strategy, language=request.LANGUAGE_CODE, moment=moment,
                      lefts=units_left_many([item]))[0]
    return {"view": view, "sale": item.sale, "LIVE": rules.LIVE, "request": request,
            "csrf_token": context.get("csrf_token")}

"""
How a sale item looks on a page: prices with tax as the strategy charges them,
the discount, the countdown (server-rendered, in the channel's locale) and the
state, from one moment so that every part of a page agrees.
"""

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal
from django.utils import timezone

from marketplace.channels.money import babel_locale
from marketplace.localisation.catalogue import load_translations, product_title
from marketplace.localisation.content import current_languages, needs_translations

from . import rules


def countdown_text(seconds: int, language: str, country: str) -> str:
    """``HH:MM:SS`` (hours may pass 24) with the locale's digits as CLDR formats numbers here."""
    locale = babel_locale(language, country)
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return ":".join(format_decimal(part, format="00", locale=locale) for part in (hours, minutes, secs))


@dataclass
class ItemView:
    item: object
    title: str
    state: str
    price: object          # the listing's price (tax included), struck through while live
    sale_price: object     # what "Buy now" charges (tax included)
    discount: int
    units: int
    left: int
    countdown_to: datetime
    countdown: str

    @property
    def sold_out(self) -> bool:
        # Before the start never sold out; after the end the regular price only.
        return self.state == rules.LIVE and self.left <= 0


def item_views(sale, items, *, strategy, language, moment: datetime | None = None, lefts=None) -> list[ItemView]:
    moment = moment or timezone.now()
    channel = strategy.channel
    state = sale.state(moment)
    target = sale.starts_at if state == rules.UPCOMING else sale.ends_at
    countdown = countdown_text(rules.seconds_until(target, moment), language, str(channel.country))
    items = list(items)
    languages = current_languages()
    if needs_translations(languages):
        # The titles in the page's language, in one query for the strip, not one per item.
        products = [item.listing.product for item in items]
        load_translations(products + [p.parent for p in products if p.parent_id], languages)
    views = []
    for item in items:
        listing = item.listing
        regular = strategy.pricing_policy(listing.product, listing)
        sale_price = strategy.price_for(item.sale_price)
        left = (lefts or {}).get(item.pk)
        if left is None:
            left = rules.units_left(units=item.units, taken=item.units_taken)
        views.append(ItemView(
            item=item, title=product_title(listing.product), state=state, price=regular, sale_price=sale_price,
            discount=rules.discount_percent(price=regular.incl_tax, sale_price=sale_price.incl_tax),
            units=item.units, left=left, countdown_to=target, countdown=countdown,
        ))
    return views

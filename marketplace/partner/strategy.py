"""
The one place that decides what a shopper in a channel sees and pays.

For a product in a channel the strategy picks the listing (live, in that
channel; the official store's first, then the cheapest), prices it in the
channel's currency with the channel's tax in force today, and says whether it
can be bought. Views and templates never decide any of this themselves.

Exclusivity is decided here too: a listing of a product another official store
holds an exclusive on (in this channel, at this request's moment) is never
selected, and a listing handed in (a basket line's) is unavailable with the
reason. The rules in force are read once per strategy, in one query.
"""

import math
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import PurchaseInfo, StockRequired, Structured

from marketplace.channels import tax
from marketplace.channels.money import quantize
from marketplace.exclusives import messages as exclusive_messages
from marketplace.exclusives import rules as exclusivity
from marketplace.exclusives.selectors import rules_not_ended
from marketplace.localisation.catalogue import product_title
from marketplace.localisation.content import current_languages
from marketplace.pagecache import versions

from . import dependent_lines, sale_terms
from .availability import CountedStock


class Selector:
    def strategy(self, request=None, user=None, channel=None, **kwargs):
        """The strategy for ``channel``, or for the request's channel.

        Tasks and scripts pass a channel; there is no default channel, so
        outside one nothing is for sale.
        """
        channel = channel or getattr(request, "channel", None)
        if channel is None:
            return NoChannel(request)
        return ChannelStrategy(channel, request=request)


class NoChannel(Structured):
    """Outside any channel: nothing has a price and nothing can be bought."""

    def fetch_for_product(self, product, stockrecord=None):
        return PurchaseInfo(
            price=prices.Unavailable(), availability=availability.Unavailable(), stockrecord=None
        )

    def fetch_for_parent(self, product):
        return self.fetch_for_product(product)


def listing_rank(stockrecord):
    """Official stores first, then the cheapest, then the oldest listing."""
    return (not stockrecord.partner.is_official_store, stockrecord.price, stockrecord.pk)


class Refused(availability.Unavailable):
    """Not for sale on these terms, for a reason the message tells the shopper."""

    code = "refused"

    def __init__(self, message):
        self.message = message


class Excluded(Refused):
    """Another official store holds an exclusive on this product here: the message says so."""

    code = "excluded"


class Reserved(availability.Base):
    """Units held for this shopper (a flash-sale reservation): buyable up to that many."""

    code = "reserved"
    is_available_to_buy = True

    def __init__(self, quantity: int, expires_at=None):
        self.quantity = quantity
        self.expires_at = expires_at

    def is_purchase_permitted(self, quantity):
        if quantity > self.quantity:
            return False, _reserved_only(self.quantity)
        return True, ""

    @property
    def message(self):
        from django.utils.translation import gettext, ngettext

        if self.expires_at is None:
            return gettext("Reserved for you at the sale price.")
        minutes = max(math.ceil((self.expires_at - timezone.now()).total_seconds() / 60), 0)
        return ngettext(
            "Reserved for you at the sale price for %(count)d more minute: place your order now.",
            "Reserved for you at the sale price for %(count)d more minutes: place your order now.",
            minutes,
        ) % {"count": minutes}


def _reserved_only(quantity):
    from django.utils.translation import ngettext

    return ngettext(
        "Only %(count)d unit is reserved for you.", "Only %(count)d units are reserved for you.", quantity
    ) % {"count": quantity}


class ChannelListings:
    """Listing selection: live listings of this channel not excluded by an exclusive."""

    def exclusive_rules(self) -> list[exclusivity.Rule]:
        """Rules in force in the channel at this strategy's moment.

        The channel's rules not yet ended are read once per version of the channel's
        pages (every rule change bumps it, ``pagecache.receivers``) and kept in the
        process; which are in force is decided here, at this moment, to the second.
        Order placement reads them from the database itself (``order.services``).
        """
        if self._exclusive_rules is None:
            channel = self.channel
            # Kept for requests of other moments too: rules that ended a day before
            # are kept with the rest, so no request's moment misses one in force then.
            kept = versions.memo_per_version(
                channel, "exclusive-rules",
                lambda: rules_not_ended(channel=channel, moment=self.moment - timedelta(days=1)),
            )
            self._exclusive_rules = [rule for rule in kept if rule.in_force(self.moment)]
        return self._exclusive_rules

    def exclusive_rule(self, product) -> exclusivity.Rule | None:
        """The exclusive in force on ``product`` (or its family) here: for the badge."""
        return exclusivity.governing_rule(
            product_id=product.pk, parent_id=product.parent_id, channel_id=self.channel.pk,
            rules=self.exclusive_rules(), moment=self.moment,
        )

    def excluding_rule(self, product, stockrecord) -> exclusivity.Rule | None:
        listing = exclusivity.Listing.from_stockrecord(stockrecord, product=product)
        return exclusivity.excluding_rule(listing, self.exclusive_rules(), self.moment)

    def channel_listings(self, product):
        # Reads ``product.stockrecords.all()`` so that a queryset prefetching
        # the channel's listings (see selectors) costs no further query.
        listings = [
            sr for sr in product.stockrecords.all()
            if sr.channel_id == self.channel.pk and sr.is_live and sr.price is not None
            # A partner retailer's listing is bought from its shop's page (handed in), never picked.
            and not sr.partner.is_local_shop
        ]
        if not listings:
            return listings
        return [sr for sr in listings if self.excluding_rule(product, sr) is None]

    def select_stockrecord(self, product):
        listings = self.channel_listings(product)
        return min(listings, key=listing_rank) if listings else None

    def select_children_stockrecords(self, product):
        return [(child, self.select_stockrecord(child)) for child in product.get_public_children()]


class ChannelTax:
    """Prices are entered without tax; the channel's components in force are added."""

    def pricing_policy(self, product, stockrecord):
        if stockrecord is None or stockrecord.price is None:
            return prices.Unavailable()
        currency = self.channel.currency
        excl_tax, tax_due = tax.price_parts(stockrecord.price, self.tax_rate, currency)
        return prices.FixedPrice(currency=currency, excl_tax=excl_tax, tax=tax_due)

    def default_variant(self, children_stock):
        """The ``(child, listing)`` a parent is priced at and its page selects first.

        The cheapest variant that can be bought, else the cheapest listed (ties:
        the first variant). The add-to-basket form selects the same one, so the
        price on the page is the price of what its button adds.
        """
        offers = [(c, sr) for c, sr in children_stock if sr is not None]
        buyable = [
            (c, sr) for c, sr in offers if self.availability_policy(c, sr).is_available_to_buy
        ]
        candidates = buyable or offers
        if not candidates:
            return None
        return min(candidates, key=lambda pair: (pair[1].price, pair[0].pk))

    def parent_pricing_policy(self, product, children_stock):
        chosen = self.default_variant(children_stock)
        if chosen is None:
            return prices.Unavailable()
        return self.pricing_policy(*chosen)


class CountedStockRequired(StockRequired):
    """Oscar's stock policy, its messages counted in the shopper's plural forms."""

    def availability_policy(self, product, stockrecord):
        policy = super().availability_policy(product, stockrecord)
        if type(policy) is availability.StockRequired:
            return CountedStock(policy.num_available)
        return policy


class ChannelStrategy(ChannelListings, CountedStockRequired, ChannelTax, Structured):
    def __init__(self, channel, request=None):
        super().__init__(request)
        self.channel = channel
        self.tax_rate: Decimal = channel.tax_rate()
        # Exclusives are enforced at this moment, to the second.
        self.moment = timezone.now()
        self._exclusive_rules = None

    def fetch_for_line(self, line, stockrecord=None):
        if getattr(line, "parent_line_id", None) is not None:
            return self.fetch_for_dependent_line(line)
        # A line keeps the listing it was added with: the shopper may have chosen a seller.
        info = self.fetch_for_product(line.product, stockrecord or line.stockrecord)
        terms = sale_terms.line_terms(line=line, channel=self.channel, moment=self.moment)
        if terms is None or info.stockrecord is None or isinstance(info.availability, Refused):
            return info
        if terms.refusal:
            return PurchaseInfo(price=info.price, availability=Refused(terms.refusal), stockrecord=info.stockrecord)
        return PurchaseInfo(
            price=self.price_for(terms.price_excl_tax), availability=Reserved(terms.quantity, terms.expires_at),
            stockrecord=info.stockrecord,
        )

    def price_for(self, excl_tax):
        """A price before tax in this channel as the shopper pays it (tax added)."""
        currency = self.channel.currency
        excl_tax = quantize(excl_tax, currency)
        return prices.FixedPrice(currency=currency, excl_tax=excl_tax, tax=tax.tax_on(excl_tax, self.tax_rate, currency))

    def fetch_for_dependent_line(self, line):
        """A line tied to a product line (an extended warranty): priced from the product's price.

        Taxed like any line; takes no stock; unavailable when the product line is,
        or when the kind that sold it no longer prices it (a plan ended, or one that
        does not cover the product).
        """
        unavailable = PurchaseInfo(
            price=prices.Unavailable(), availability=availability.Unavailable(), stockrecord=None
        )
        kind = dependent_lines.kind_for(line)
        if kind is None:
            return unavailable
        parent = dependent_lines.parent_of(line)
        if parent is None:
            return unavailable
        parent_info = self.fetch_for_line(parent)
        if not parent_info.availability.is_available_to_buy or not parent_info.price.exists:
            return unavailable
        excl_tax = kind.price_excl_tax(
            line=line, parent_line=parent, parent_price=parent_info.price, channel=self.channel
        )
        if excl_tax is None:
            return unavailable
        currency = self.channel.currency
        excl_tax = quantize(excl_tax, currency)
        return PurchaseInfo(
            price=prices.FixedPrice(
                currency=currency, excl_tax=excl_tax, tax=tax.tax_on(excl_tax, self.tax_rate, currency)
            ),
            availability=availability.Available(),
            stockrecord=parent_info.stockrecord,
        )

    def fetch_for_product(self, product, stockrecord=None):
        # A listing handed in (a basket line's) still has to belong here.
        if stockrecord is not None and (
            stockrecord.channel_id != self.channel.pk or not stockrecord.is_live
        ):
            return PurchaseInfo(
                price=prices.Unavailable(),
                availability=availability.Unavailable(),
                stockrecord=None,
            )
        if stockrecord is not None:
            rule = self.excluding_rule(product, stockrecord)
            if rule is not None:
                message = exclusive_messages.sold_only_by(
                    product_title=product_title(product, current_languages(self.channel)),
                    rule=rule, channel=self.channel,
                )
                return PurchaseInfo(
                    price=self.pricing_policy(product, stockrecord),
                    availability=Excluded(message), stockrecord=stockrecord,
                )
        return super().fetch_for_product(product, stockrecord)

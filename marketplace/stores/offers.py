"""
A shopper choosing one seller's offer of a product.

The channel strategy picks the listing a product page shows (official store
first, then the cheapest). When several sellers offer the product, the
shopper may pick another one: the offer posts its listing id, which must be a
live listing of that product in the shopper's channel, and ``ChosenListing``
makes the strategy use it for that product while the basket adds the line.
"""

from marketplace.partner.selectors import live_listings


def offered_listing(*, channel, product_id, listing_id):
    """The live listing ``listing_id`` of ``product_id`` in ``channel``, or None."""
    try:
        listing_id = int(listing_id)
    except (TypeError, ValueError):
        return None
    return (
        live_listings(channel)
        .filter(pk=listing_id, product_id=product_id, product__is_public=True)
        .select_related("partner", "product")
        .first()
    )


class ChosenListing:
    """The channel strategy, with the shopper's chosen listing for one product."""

    def __init__(self, strategy, listing):
        self._strategy = strategy
        self.listing = listing

    def fetch_for_product(self, product, stockrecord=None):
        if stockrecord is None and product.pk == self.listing.product_id:
            stockrecord = self.listing
        return self._strategy.fetch_for_product(product, stockrecord)

    def __getattr__(self, name):
        return getattr(self._strategy, name)

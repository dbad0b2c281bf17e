"""
Filters and sorting of a listing page (category, search, all products).

What a shopper can narrow a listing by: brand, seller, official stores only, in
stock, a price range (in the channel's currency, tax included, as cards show
prices); and how to order it: newest, price up, price down. Every filter is one
condition on the product's live listings in the channel (a subquery of the
products' own query), so a filtered page costs the queries an unfiltered one
does; the choices offered (the sellers selling here and their brands) are one
more query. Bad input (unknown keys, malformed numbers) is ignored, never an error.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from oscar.apps.catalogue.models import Product

from marketplace.brands.models import Brand
from marketplace.channels.money import quantize
from marketplace.partner.models import Partner
from marketplace.partner.selectors import live_listings, sold_in_channel
from marketplace.stores.models import ProductBrand

SORTS = {
    "newest": (_("Newest first"), ("-date_created", "-pk")),
    "price": (pgettext_lazy("sort", "Price: low to high"), ("listing_price", "-pk")),
    "-price": (pgettext_lazy("sort", "Price: high to low"), ("-listing_price", "-pk")),
}
DEFAULT_SORT = "newest"
# Longest number a price box takes: no more digits than any price has.
_MAX_DIGITS = 15


def _price(value: str, currency: str) -> Decimal | None:
    value = (value or "").strip()[:_MAX_DIGITS + 1]
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount.adjusted() >= _MAX_DIGITS:
        return None
    return quantize(amount, currency)


@dataclass
class ListingFilters:
    """A listing page's filters as the shopper chose them (from the query string)."""

    brands: list[str] = field(default_factory=list)
    sellers: list[str] = field(default_factory=list)
    official_only: bool = False
    in_stock: bool = False
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params, channel) -> "ListingFilters":
        def slugs(name):
            return [s[:128] for s in params.getlist(name)[:20] if s and "\x00" not in s]

        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            brands=slugs("brand"),
            sellers=slugs("seller"),
            official_only=params.get("official") == "1",
            in_stock=params.get("in_stock") == "1",
            min_price=_price(params.get("min_price", ""), channel.currency),
            max_price=_price(params.get("max_price", ""), channel.currency),
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    @property
    def is_active(self) -> bool:
        return bool(
            self.brands or self.sellers or self.official_only or self.in_stock
            or self.min_price is not None or self.max_price is not None
        )

    def listing_condition(self, channel) -> Q:
        """What one live listing must be for its product to be shown."""
        condition = Q()
        if self.sellers:
            condition &= Q(partner__slug__in=self.sellers)
        if self.official_only:
            condition &= Q(partner__is_official_store=True)
        if self.in_stock:
            condition &= Q(num_in_stock__gt=Coalesce(F("num_allocated"), 0))
        # Listing prices are before tax; the shopper types what cards show (tax included).
        multiplier = 1 + channel.tax_rate()
        if self.min_price is not None:
            condition &= Q(price__gte=self.min_price / multiplier)
        if self.max_price is not None:
            condition &= Q(price__lte=self.max_price / multiplier)
        return condition

    def apply(self, products, channel):
        """``products`` (a channel's listing queryset) filtered and sorted."""
        listings = live_listings(channel)
        own_or_variant = Q(product=OuterRef("pk")) | Q(
            product__parent=OuterRef("pk"), product__is_public=True
        )
        if self.brands:
            # The brand that makes the product (stores.ProductBrand), whoever sells it.
            products = products.filter(brand_link__brand__slug__in=self.brands)
        if self.is_active:
            products = products.filter(
                Exists(listings.filter(own_or_variant).filter(self.listing_condition(channel)))
            )
        if self.sort == DEFAULT_SORT:
            return products  # the listing's own order (newest, or relevance for a search)
        cheapest = listings.filter(own_or_variant).order_by("price").values("price")[:1]
        return products.annotate(listing_price=Subquery(cheapest)).order_by(*SORTS[self.sort][1])


def filter_choices(channel) -> dict:
    """The sellers selling in ``channel`` now, and the brands of what it sells (two queries)."""
    sold_here = Product.objects.filter(sold_in_channel(channel)).values("pk")
    brands = Brand.objects.filter(
        Exists(ProductBrand.objects.filter(brand=OuterRef("pk"), product__in=sold_here))
    ).order_by("name")
    sellers = list(
        Partner.objects.filter(channels=channel)
        .filter(Exists(live_listings(channel).filter(partner=OuterRef("pk"))))
        .order_by("-is_official_store", "name")
    )
    return {
        "sellers": [s for s in sellers if s.slug],
        "brands": list(brands),
        "sorts": [{"key": key, "label": label} for key, (label, _ordering) in SORTS.items()],
    }

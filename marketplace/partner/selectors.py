"""Reading listings and the products a channel sells.

A listing page (home, category, search) costs a fixed number of queries whatever
its size: the products with their titles in the shopper's languages, primary
image and the page's total count in one query (``listing_page``), then every
live listing of those products and of their variants, with the variants and
sellers, in one more (``attach_listings``). The product page loads all public
variants (its form offers them all) with their listings in three.
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from oscar.apps.catalogue.managers import ProductQuerySet
from oscar.apps.catalogue.models import Category, Option, Product, ProductCategory, ProductImage

from marketplace.exclusives.selectors import excluded_listing
from marketplace.localisation.content import annotate_translations, fallback_languages
from marketplace.localisation.models import ProductTranslation

from .models import StockRecord

# Fields a card or a product page shows in the shopper's language.
CARD_TEXT = ("title",)
PAGE_TEXT = ("title", "description")


def live_listings(channel):
    """Listings a shopper in ``channel`` can be offered now.

    Not those another official store's exclusive rule excludes at this moment
    (a subquery, no extra query): tasks suspend them later, but shoppers never
    wait for the tasks.
    A partner retailer's listings are sold from its own page only (``retail``), never here.
    """
    return StockRecord.objects.filter(
        channel=channel, is_live=True, price__isnull=False, partner__is_local_shop=False
    ).exclude(excluded_listing())


def sold_in_channel(channel) -> Q:
    """Products with a live listing in ``channel``, themselves or through a variant."""
    listings = live_listings(channel)
    return Q(Exists(listings.filter(product=OuterRef("pk")))) | Q(
        Exists(listings.filter(product__parent=OuterRef("pk"), product__is_public=True))
    )


def in_stock_in_channel(channel) -> Q:
    """Products with a live listing in ``channel`` (theirs or a variant's) with a unit left."""
    listings = live_listings(channel).filter(num_in_stock__gt=Coalesce(F("num_allocated"), 0))
    return Q(Exists(listings.filter(product=OuterRef("pk")))) | Q(
        Exists(listings.filter(product__parent=OuterRef("pk"), product__is_public=True))
    )


def in_category(category) -> Q:
    """In ``category`` or below it: a subquery, so no join multiplies the rows."""
    tree = Category.objects.get_tree(category).values("pk")
    return Q(Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__in=tree)))


def primary_image_path():
    """The product's first image (Oscar's ``primary_image``) as a path, in the product's query.

    A variant without images shows its parent's, as in Oscar.
    """
    def first(product):
        images = ProductImage.objects.filter(product=OuterRef(product))
        return Subquery(images.order_by("display_order", "pk").values("original")[:1])

    return Coalesce(first("pk"), first("parent_id"))


def _with_options(queryset):
    # Oscar's ``has_options`` reads these instead of querying per product.
    return queryset.annotate(
        has_product_class_options=Exists(
            Option.objects.filter(productclass=OuterRef("product_class"))
        ),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )


def attach_listings(products, channel) -> None:
    """Give each product its live listings in ``channel`` and its variants that have one.

    One query for the whole page: the listings of the products and of their
    public variants, with the variant and the seller. Each product then reads
    ``stockrecords.all()`` and ``get_public_children()`` (the strategy does)
    without a query. Variants without a listing here are left out: a card
    prices and offers only what can be bought in the channel.
    """
    products = [product for product in products if product.pk is not None]
    if not products:
        return
    by_pk = {product.pk: product for product in products}
    listings = (
        live_listings(channel)
        .filter(Q(product__in=by_pk) | Q(product__parent__in=by_pk, product__is_public=True))
        .select_related("partner", "product")
        .order_by("pk")
    )
    own = defaultdict(list)
    variants = defaultdict(dict)
    variant_listings = defaultdict(list)
    for listing in listings:
        if listing.product_id in by_pk:
            listing.product = by_pk[listing.product_id]
            own[listing.product_id].append(listing)
        else:
            variant = variants[listing.product.parent_id].setdefault(
                listing.product_id, listing.product
            )
            listing.product = variant
            variant_listings[variant.pk].append(listing)
    for product in products:
        _set_listings(product, own[product.pk])
        children = sorted(
            variants[product.pk].values(), key=lambda child: (child.date_created, child.pk),
            reverse=True,
        )
        for child in children:
            child.parent = product
            _set_listings(child, variant_listings[child.pk])
        product._prefetched_public_children = children


def _set_listings(product, listings) -> None:
    # What ``prefetch_related("stockrecords")`` leaves: a queryset already evaluated.
    queryset = product.stockrecords.get_queryset()
    queryset._result_cache = listings
    queryset._prefetch_done = True
    product._prefetched_objects_cache = getattr(product, "_prefetched_objects_cache", {})
    product._prefetched_objects_cache["stockrecords"] = queryset


class ChannelProductQuerySet(ProductQuerySet):
    """Products of a listing page: once loaded, their listings are attached in one query."""

    listing_channel = None

    def for_listing_page(self, channel):
        clone = self._chain()
        clone.listing_channel = channel
        return clone

    def _clone(self):
        clone = super()._clone()
        clone.listing_channel = self.listing_channel
        return clone

    def _fetch_all(self):
        loaded = self._result_cache is not None
        super()._fetch_all()
        if not loaded and self.listing_channel is not None:
            attach_listings([row for row in self._result_cache if isinstance(row, Product)],
                            self.listing_channel)


def with_total(queryset):
    """Each row carries the number of rows the query matches before slicing (``total``).

    ``COUNT(*) OVER ()`` in the page's own query: a paginator reads it instead of
    sending a ``COUNT`` of its own (see storefront.pagination).
    """
    return queryset.annotate(total=Window(Count("pk")))


def _languages(channel, language):
    return fallback_languages(language or channel.default_language, channel)


def products_for_channel(channel, *, category=None, query=None, language=None):
    """Browsable products ``channel`` sells, optionally in a category or matching a query.

    ``language`` is the shopper's (the channel's default if not given): the
    query also matches titles in it and in the channel's default language, and
    the titles come in those languages. Listings are attached when the rows
    are loaded (``attach_listings``).
    """
    languages = _languages(channel, language)
    products = ChannelProductQuerySet(Product).browsable().filter(sold_in_channel(channel))
    if category is not None:
        products = products.filter(in_category(category))
    ordering = ("-date_created", "-pk")
    if query:
        from .search import search_products

        products, ordering = search_products(products, query, languages, ordering)
    products = annotate_translations(products, ProductTranslation, CARD_TEXT, languages)
    products = _with_options(products.select_related("product_class")).annotate(
        primary_image_path=primary_image_path()
    )
    return products.for_listing_page(channel).order_by(*ordering)


def product_for_channel(channel, pk: int, *, language=None, annotations=None):
    """One product with its listings in ``channel``; ``None`` if the channel does not sell it.

    All its public variants come along (the page's form offers each), with
    their listings here and their titles in the shopper's languages.
    ``annotations`` are columns a page above this package asks for on the same
    row (whether a warranty plan covers the product).
    """
    languages = _languages(channel, language)
    listings = live_listings(channel).select_related("partner")
    children = annotate_translations(
        Product.objects.public(), ProductTranslation, CARD_TEXT, languages
    ).prefetch_related(Prefetch("stockrecords", listings))
    product = annotate_translations(
        Product.objects.filter(pk=pk), ProductTranslation, PAGE_TEXT, languages
    )
    return (
        _with_options(product.select_related("product_class", "parent"))
        .annotate(primary_image_path=primary_image_path(), **(annotations or {}))
        .prefetch_related(
            Prefetch("stockrecords", listings),
            Prefetch("children", children, to_attr="_prefetched_public_children"),
        )
        .filter(sold_in_channel(channel))
        .first()
    )


def attach_attribute_values(product) -> None:
    """The attribute values of ``product`` and of its loaded variants, in one query.

    The variant choices on a product page are labelled with each variant's
    attribute summary; Oscar reads them per variant. Here they are put where
    Oscar's ``prefetch_attribute_values`` puts them.
    """
    from oscar.apps.catalogue.models import ProductAttributeValue

    variants = list(product.get_public_children()) if product.is_parent else []
    values = defaultdict(list)
    rows = (
        ProductAttributeValue.objects.filter(product__in=[product.pk, *(v.pk for v in variants)])
        .select_related("attribute", "value_option")
    )
    for value in rows:
        values[value.product_id].append(value)
    product._prefetched_attribute_values = values[product.pk]
    product._prefetched_parent_attribute_values = values[product.pk]
    for variant in variants:
        variant._prefetched_attribute_values = values[variant.pk]


def is_sold_in_channel(product, channel) -> bool:
    return Product.objects.filter(pk=product.pk).filter(sold_in_channel(channel)).exists()


def units_left(listing_ids) -> dict[int, int]:
    """Units left of each listing (Oscar's ``net_stock_level``), by id: one query."""
    rows = StockRecord.objects.filter(pk__in=list(listing_ids)).values_list("pk", "num_in_stock", "num_allocated")
    return {pk: 0 if in_stock is None else in_stock - (allocated or 0) for pk, in_stock, allocated in rows}

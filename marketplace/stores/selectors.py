"""Reading stores, their products in a channel, and a channel's featured products."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from oscar.apps.catalogue.models import Category, Option, Product

from marketplace.localisation.content import (
    annotate_translations,
    fallback_languages,
    needs_translations,
    translations_prefetch,
)
from marketplace.localisation.models import ProductTranslation
from marketplace.partner.models import Partner
from marketplace.partner.selectors import live_listings, products_for_channel

from .models import FeaturedProduct, HeroBanner, HeroBannerTranslation

# Sort keys a store page offers, and the order each means.
SORTS = {
    "newest": ("-date_created", "-pk"),
    "price": ("store_price", "pk"),
    "-price": ("-store_price", "pk"),
    "title": ("title", "pk"),
}
DEFAULT_SORT = "newest"


def _selling_in(channel):
    return live_listings(channel).filter(partner=OuterRef("pk"))


def stores_for_channel(channel):
    """Stores with something on sale in ``channel``: official stores first."""
    return (
        Partner.objects.filter(channels=channel)
        .filter(Exists(_selling_in(channel)))
        .select_related("brand", "profile")
        .prefetch_related("profile__translations")
        .order_by("-is_official_store", "name")
    )


def official_stores_for_channel(channel, *, limit: int = 12):
    """Official stores selling in ``channel`` with their logos, for the home page (one query)."""
    return list(
        Partner.objects.filter(channels=channel, is_official_store=True)
        .exclude(slug__isnull=True)
        .filter(Exists(_selling_in(channel)))
        .select_related("profile")
        .order_by("name")[:limit]
    )


def hero_banners(channel, *, language=None, limit: int = 3):
    """The channel's banners shown now, first by position, in the shopper's language (one query).

    The home page shows the first: operators schedule the next with dates and positions."""
    now = timezone.now()
    languages = fallback_languages(language or channel.default_language, channel)
    banners = (
        HeroBanner.objects.filter(channel=channel, is_active=True)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("position", "pk")
    )
    return list(annotate_translations(banners, HeroBannerTranslation, ("title", "subtitle"),
                                      languages)[:limit])


def store_for_channel(channel, slug: str):
    """The store ``slug`` if it sells in ``channel``, else None."""
    return (
        Partner.objects.filter(slug=slug, channels=channel)
        .select_related("brand", "profile")
        .prefetch_related("profile__translations")
        .first()
    )


def store_listings(channel, store):
    return live_listings(channel).filter(partner=store)


def _sold_by_store(channel, store) -> Q:
    listings = store_listings(channel, store)
    return Q(Exists(listings.filter(product=OuterRef("pk")))) | Q(
        Exists(listings.filter(product__parent=OuterRef("pk"), product__is_public=True))
    )


def store_products(channel, store, *, category=None, sort: str = DEFAULT_SORT, language=None):
    """Browsable products ``store`` sells in ``channel``, priced from its own listings.

    Only the store's listings are prefetched, so the channel strategy, which
    reads the prefetched listings, prices each card with this store's offer.
    Titles come in ``language`` (the shopper's) with the channel's fallbacks.
    """
    languages = fallback_languages(language or channel.default_language, channel)
    translations = []
    if needs_translations(languages):
        translations = [translations_prefetch(ProductTranslation, languages)]
    listings = store_listings(channel, store)
    products = Product.objects.browsable().filter(_sold_by_store(channel, store))
    if category is not None:
        products = products.filter(
            categories__in=Category.objects.get_tree(category).values("pk")
        ).distinct()
    cheapest = (
        listings.filter(Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk")))
        .order_by("price")
        .values("price")[:1]
    )
    children = Product.objects.public().prefetch_related(
        Prefetch("stockrecords", listings.select_related("partner")), *translations
    )
    return (
        products.select_related("product_class", "parent")
        .annotate(
            store_price=Subquery(cheapest),
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("stockrecords", listings.select_related("partner")),
            "images",
            Prefetch("children", children, to_attr="_prefetched_public_children"),
            *translations,
        )
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def store_exclusives(channel, store, *, language=None, limit: int = 8):
    """Products ``store`` holds an exclusive on in ``channel`` now and sells here."""
    from marketplace.exclusives.selectors import exclusive_product_ids

    if not store.is_official_store:
        return Product.objects.none()
    return store_products(channel, store, language=language).filter(
        pk__in=exclusive_product_ids(channel=channel, store=store)
    )[:limit]


def store_categories(channel, store):
    """Public categories of what ``store`` sells in ``channel``, for its filters."""
    products = Product.objects.browsable().filter(_sold_by_store(channel, store))
    return Category.objects.filter(is_public=True, product__in=products).distinct().order_by(
        "name"
    )


def featured_products(channel, *, language=None):
    """Products the channel's operators feature on its home page that it sells, in order."""
    position = FeaturedProduct.objects.filter(channel=channel, product=OuterRef("pk")).values(
        "position"
    )[:1]
    return (
        products_for_channel(channel, language=language)
        .filter(featured_in__channel=channel)
        .annotate(feature_position=Subquery(position))
        .order_by("feature_position", "pk")
    )

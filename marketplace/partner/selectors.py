"""Reading listings and the products a channel sells."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from oscar.apps.catalogue.models import Category, Option, Product

from marketplace.exclusives.selectors import excluded_listing
from marketplace.localisation.content import (
    fallback_languages,
    needs_translations,
    translations_prefetch,
)
from marketplace.localisation.models import ProductTranslation

from .models import StockRecord


def live_listings(channel):
    """Listings a shopper in ``channel`` can be offered now.

    Not those another official store's exclusive rule excludes at this moment
    (a subquery, no extra query): tasks suspend them later, but shoppers never
    wait for the tasks.
    """
    return StockRecord.objects.filter(channel=channel, is_live=True, price__isnull=False).exclude(
        excluded_listing()
    )


def sold_in_channel(channel) -> Q:
    """Products with a live listing in ``channel``, themselves or through a variant."""
    listings = live_listings(channel)
    return Q(Exists(listings.filter(product=OuterRef("pk")))) | Q(
        Exists(listings.filter(product__parent=OuterRef("pk"), product__is_public=True))
    )


def _with_channel_purchase_info(queryset, channel, languages):
    """Everything a product card needs for ``channel``, in a fixed number of queries.

    Titles and descriptions in ``languages`` come along (one more query for
    the products, one for their variants) unless only English is wanted.
    """
    listings = live_listings(channel).select_related("partner")
    children = Product.objects.public().prefetch_related(Prefetch("stockrecords", listings))
    translations = []
    if needs_translations(languages):
        translations = [translations_prefetch(ProductTranslation, languages)]
        children = children.prefetch_related(translations_prefetch(ProductTranslation, languages))
    return (
        queryset.select_related("product_class", "parent")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("stockrecords", listings),
            "images",
            Prefetch("children", children, to_attr="_prefetched_public_children"),
            *translations,
        )
    )


def _languages(channel, language):
    return fallback_languages(language or channel.default_language, channel)


def _matches(query, languages) -> Q:
    """A product whose title (English, or in one of ``languages``), code or SKU matches."""
    titles = ProductTranslation.objects.filter(language__in=languages, title__icontains=query)
    return (
        Q(title__icontains=query)
        | Q(Exists(titles.filter(parent=OuterRef("pk"))))
        | Q(upc__iexact=query)
        | Q(children__title__icontains=query)
        | Q(Exists(titles.filter(parent__parent=OuterRef("pk"))))
        | Q(stockrecords__partner_sku__iexact=query)
    )


def products_for_channel(channel, *, category=None, query=None, language=None):
    """Browsable products ``channel`` sells, optionally in a category or matching a query.

    ``language`` is the shopper's (the channel's default if not given): the
    query also matches titles in it and in the channel's default language, and
    the products come with their translations in those languages.
    """
    languages = _languages(channel, language)
    products = Product.objects.browsable().filter(sold_in_channel(channel))
    if category is not None:
        products = products.filter(
            categories__in=Category.objects.get_tree(category).values("pk")
        ).distinct()
    if query:
        products = products.filter(_matches(query, languages)).distinct()
    return _with_channel_purchase_info(products, channel, languages).order_by(
        "-date_created", "-pk"
    )


def product_for_channel(channel, pk: int, *, language=None):
    """One product with its listings in ``channel``; ``None`` if the channel does not sell it."""
    return (
        _with_channel_purchase_info(Product.objects.filter(pk=pk), channel, _languages(channel, language))
        .filter(sold_in_channel(channel))
        .first()
    )


def is_sold_in_channel(product, channel) -> bool:
    return Product.objects.filter(pk=product.pk).filter(sold_in_channel(channel)).exists()

"""Reading listings and the products a channel sells."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from oscar.apps.catalogue.models import Category, Option, Product

from .models import StockRecord


def live_listings(channel):
    """Listings a shopper in ``channel`` can be offered."""
    return StockRecord.objects.filter(channel=channel, is_live=True, price__isnull=False)


def sold_in_channel(channel) -> Q:
    """Products with a live listing in ``channel``, themselves or through a variant."""
    listings = live_listings(channel)
    return Q(Exists(listings.filter(product=OuterRef("pk")))) | Q(
        Exists(listings.filter(product__parent=OuterRef("pk"), product__is_public=True))
    )


def _with_channel_purchase_info(queryset, channel):
    """Everything a product card needs for ``channel``, in a fixed number of queries."""
    listings = live_listings(channel).select_related("partner")
    children = Product.objects.public().prefetch_related(Prefetch("stockrecords", listings))
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
        )
    )


def products_for_channel(channel, *, category=None, query=None):
    """Browsable products ``channel`` sells, optionally in a category or matching a query."""
    products = Product.objects.browsable().filter(sold_in_channel(channel))
    if category is not None:
        products = products.filter(
            categories__in=Category.objects.get_tree(category).values("pk")
        ).distinct()
    if query:
        products = products.filter(
            Q(title__icontains=query)
            | Q(upc__iexact=query)
            | Q(children__title__icontains=query)
            | Q(stockrecords__partner_sku__iexact=query)
        ).distinct()
    return _with_channel_purchase_info(products, channel).order_by("-date_created", "-pk")


def product_for_channel(channel, pk: int):
    """One product with its listings in ``channel``; ``None`` if the channel does not sell it."""
    return (
        _with_channel_purchase_info(Product.objects.filter(pk=pk), channel)
        .filter(sold_in_channel(channel))
        .first()
    )


def is_sold_in_channel(product, channel) -> bool:
    return Product.objects.filter(pk=product.pk).filter(sold_in_channel(channel)).exists()

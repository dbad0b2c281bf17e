"""Writing store data: a product's brand, featured products, offers picked by shoppers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.localisation.catalogue import product_title
from marketplace.partner.selectors import is_sold_in_channel

from .models import ProductBrand


def product_brand_set(*, product, brand) -> None:
    """Make ``brand`` the brand of ``product`` (a variant follows its parent instead)."""
    if product.is_child:
        ProductBrand.objects.filter(product=product).delete()
        return
    if brand is None:
        return
    ProductBrand.objects.update_or_create(product=product, defaults={"brand": brand})


def validate_featured(*, channel, product) -> None:
    """A featured product must be one the channel sells, or the home page shows a hole."""
    if channel is None or product is None:
        return
    if not is_sold_in_channel(product, channel):
        raise ValidationError(
            {"product": _("%(product)s is not on sale in %(channel)s.")
             % {"product": product_title(product), "channel": channel}}
        )


def listings_set_live(*, listings, live: bool) -> int:
    """Put listings on sale or take them off; saved one by one so each change is audited.

    A listing another store's exclusive excludes is not put back on sale.
    """
    from marketplace.exclusives.selectors import excluded_listing

    if live:
        listings = listings.exclude(excluded_listing())
    count = 0
    for listing in listings.select_related("partner"):
        if listing.is_live != live:
            listing.is_live = live
            listing.save(update_fields=["is_live"])
            count += 1
    return count

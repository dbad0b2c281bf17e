"""The demo's pictures in WebP at every size the storefront shows them, made by the seed itself.

Saving an image queues its renditions for a Celery worker (``thumbnails``); ``make run`` starts
none, and with Redis configured the tasks wait in the broker: the seed writes what is missing
in its own process, so the demo never falls back to the original PNGs.
"""

from oscar.apps.catalogue.models import ProductImage

from marketplace.retail.models import Retailer
from marketplace.stores.models import HeroBanner, StoreProfile
from marketplace.thumbnails import renditions
from marketplace.thumbnails.services import make_missing_now


def make_demo_renditions() -> int:
    """Files written (0 when every rendition is there already)."""
    jobs = [(path, renditions.SIZES.values())
            for path in ProductImage.objects.values_list("original", flat=True)]
    jobs += [(path, renditions.BANNER_SIZES.values())
             for path in HeroBanner.objects.exclude(image="").values_list("image", flat=True)]
    jobs += [(path, [renditions.PICTURES["logo"]])
             for path in StoreProfile.objects.exclude(logo="").values_list("logo", flat=True)]
    jobs += [(path, [renditions.PICTURES["store-banner"]])
             for path in StoreProfile.objects.exclude(banner="").values_list("banner", flat=True)]
    jobs += [(path, [renditions.PICTURES["shop-photo"]])
             for path in Retailer.objects.exclude(photo="").values_list("photo", flat=True)]
    return sum(make_missing_now(path, list(sizes)) for path, sizes in jobs if path)

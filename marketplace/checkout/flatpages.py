"""
The flat pages every checkout page links (Oscar's ``{% get_flatpages '/order/' %}``), cached.

A query on every checkout page for pages that staff edit rarely: kept in the shared cache
per site and kind of visitor, forgotten whenever a flat page or its sites change
(``receivers``), and again after that commit.
"""

import time

from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache

PREFIX = "/order/"
_CACHE_SECONDS = 300
_VERSION_KEY = "checkout:flatpages:version"


def checkout_flatpages(site_pk, *, signed_in: bool) -> list[FlatPage]:
    # A new version when the old one is gone (evicted, flushed): never one used before.
    version = cache.get_or_set(_VERSION_KEY, time.time_ns, None)
    key = f"checkout:flatpages:v1:{version}:{site_pk}:{int(signed_in)}"
    pages = cache.get(key)
    if pages is None:
        query = FlatPage.objects.filter(sites__id=site_pk, url__startswith=PREFIX)
        if not signed_in:
            query = query.filter(registration_required=False)
        pages = list(query)
        cache.set(key, pages, _CACHE_SECONDS)
    return pages


def forget_checkout_flatpages() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, time.time_ns(), None)

"""
Sitemaps: one per channel and language, listed by an index at ``/sitemap.xml``.

A channel's sitemap in a language lists the pages a shopper there can open, at
their ``/<cc>/[<lang>/]`` address: the home page, the categories with products
sold there (and their parents), and those products. Each entry names the same
page in the channel's other languages (``hreflang``), as the pages themselves do.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from oscar.apps.catalogue.models import Category, Product

from marketplace.channels.resolution import language_prefix
from marketplace.partner.selectors import sold_in_channel


@dataclass(frozen=True)
class Page:
    """A storefront page by its path inside a channel (no ``/<cc>/`` prefix)."""

    path: str
    lastmod: datetime | None = None
    priority: float | None = None


def storefront_path(name: str, **kwargs) -> str:
    """A storefront URL's path without the channel prefix: ``catalogue/x_1/``."""
    return reverse(name, urlconf=settings.STOREFRONT_URLCONF, kwargs=kwargs).lstrip("/")


def channel_pages(channel) -> list[Page]:
    """Home, categories and products of ``channel``, in a fixed order."""
    sold = Product.objects.browsable().filter(sold_in_channel(channel))
    products = sold.order_by("pk").values_list("pk", "slug", "date_updated")
    with_products = set(
        Category.objects.filter(is_public=True, product__in=sold.values("pk"))
        .values_list("path", flat=True)
    )
    categories = [
        category for category in Category.objects.filter(is_public=True).order_by("path")
        # A category page also lists its subcategories' products.
        if any(path.startswith(category.path) for path in with_products)
    ]
    return (
        [Page("", priority=1.0)]
        + [
            Page(storefront_path("catalogue:category", category_slug=c.get_full_slug(), pk=c.pk),
                 priority=0.6)
            for c in categories
        ]
        + [
            Page(storefront_path("catalogue:detail", product_slug=slug, pk=pk), lastmod=updated,
                 priority=0.8)
            for pk, slug, updated in products
        ]
    )


class ChannelSitemap(Sitemap):
    """The pages of one channel in one of its languages."""

    changefreq = "daily"
    limit = 10000

    def __init__(self, channel, language: str, *, domain: str | None = None, protocol=None):
        self.channel, self.language = channel, language
        self.domain, self.protocol = domain, protocol

    @property
    def section(self) -> str:
        return f"{self.channel.code}-{self.language}"

    def items(self):
        return channel_pages(self.channel)

    def location(self, page: Page) -> str:
        return self._path(page, self.language)

    def lastmod(self, page: Page):
        return page.lastmod

    def priority(self, page: Page):
        return page.priority

    def get_domain(self, site=None):
        # The host the request came to, as the pages' own hreflang links use.
        return self.domain or super().get_domain(site)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        scheme, domain = self.get_protocol(protocol), self.get_domain(site)
        for url in urls:
            url["alternates"] = [
                {
                    "lang_code": f"{language}-{self.channel.country.code}",
                    "location": f"{scheme}://{domain}{self._path(url['item'], language)}",
                }
                for language in self.channel.languages
            ]
        return urls

    def _path(self, page: Page, language: str) -> str:
        return language_prefix(self.channel.code, language, self.channel.default_language) + page.path


def channel_sitemaps(channels, *, domain=None, protocol=None) -> dict[str, ChannelSitemap]:
    """Every active channel in each of its languages, by section (``eg-ar``, ``eg-en``)."""
    sitemaps = (
        ChannelSitemap(channel, language, domain=domain, protocol=protocol)
        for channel in channels
        for language in channel.languages
    )
    return {sitemap.section: sitemap for sitemap in sitemaps}

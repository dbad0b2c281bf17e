"""Storefront pages of one channel: home, catalogue, category, search, product."""

import re

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from oscar.apps.catalogue import views as oscar_views
from oscar.apps.catalogue.models import Category

from marketplace.aftersales.selectors import covered_expression as warranty_covered
from marketplace.channels.locale_names import country_name
from marketplace.localisation.catalogue import translated_text
from marketplace.localisation.content import annotate_translations, fallback_languages
from marketplace.localisation.models import CategoryTranslation
from marketplace.pagecache.pages import CachedPageMixin, StockFill
from marketplace.pagecache.versions import memo_per_page_version
from marketplace.partner import selectors
from marketplace.partner.availability import CountedStock
from marketplace.stores.selectors import (
    featured_products,
    hero_banners,
    official_stores_for_channel,
)

from .filters import ListingFilters, filter_choices
from .pagination import WindowCountPaginator


def _channel_country_name(request):
    return country_name(request.channel.country.code, request.LANGUAGE_CODE)


def _with_translations(request, categories):
    """``categories`` (a queryset) with their names in the shopper's languages, same query."""
    languages = fallback_languages(request.LANGUAGE_CODE, request.channel)
    return annotate_translations(categories, CategoryTranslation, ("name",), languages)


class HomeView(CachedPageMixin, TemplateView):
    template_name = "storefront/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["products"] = selectors.products_for_channel(
            self.request.channel, language=self.request.LANGUAGE_CODE
        )[:12]
        channel, language = self.request.channel, self.request.LANGUAGE_CODE
        # What every visitor of the channel in this language sees alike, read once per
        # version of the channel's pages rather than on every render (a signed-in
        # shopper's page, or a miss of the page cache): the categories, the official
        # stores and the banner shown now (its dates are part of the version).
        ctx["categories"] = memo_per_page_version(
            channel, f"home-categories:{language}",
            lambda: list(_with_translations(
                self.request, Category.objects.get_root_nodes().filter(is_public=True)
            )),
        )
        # Chosen by the channel's country operators in the back office; only what can be
        # bought now (a sold-out card would be a dead end), and in rows of two with no gap.
        featured = list(
            featured_products(self.request.channel, language=self.request.LANGUAGE_CODE)
            .filter(selectors.in_stock_in_channel(self.request.channel))[:8]
        )
        ctx["featured"] = featured[: len(featured) - len(featured) % 2] or featured
        ctx["official_stores"] = memo_per_page_version(
            channel, "home-official-stores", lambda: official_stores_for_channel(channel)
        )
        ctx["hero_banners"] = memo_per_page_version(
            channel, f"home-hero-banners:{language}",
            lambda: hero_banners(channel, language=language, limit=1),
        )
        return ctx


class ChannelProductListView(ListView):
    """Products the channel sells, paginated; a bad page number is a 404."""

    template_name = "storefront/product_list.html"
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    # The page's query counts the products too (no separate COUNT).
    paginator_class = WindowCountPaginator

    def products(self):
        return selectors.products_for_channel(
            self.request.channel, language=self.request.LANGUAGE_CODE
        )

    def get_queryset(self):
        self.filters = ListingFilters.from_query(self.request.GET, self.request.channel)
        products = self.filters.apply(self.products(), self.request.channel)
        return selectors.with_total(products)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not hasattr(self, "filters"):  # a page with its own filters (a store's)
            return ctx
        ctx["filters"] = self.filters
        ctx["filter_choices"] = filter_choices(self.request.channel)
        # The query string without the page, for the pagination links.
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        ctx["filter_query"] = params.urlencode()
        return ctx

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # Django's own message is for developers ("cannot be converted to an int").
            page = self.request.GET.get(self.page_kwarg, "")[:20]
            raise Http404(_("There is no page “%(page)s” here.") % {"page": page}) from None


class CatalogueView(CachedPageMixin, ChannelProductListView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


# Oscar's URL patterns take ``\d+``: any length, and Unicode digits too. An id
# with more digits than a bigint (or than ``int()`` converts) is no object's.
_PK = re.compile(r"[0-9]{1,18}", re.ASCII)


def _pk_or_404(value: str) -> int:
    if not _PK.fullmatch(value):
        raise Http404
    return int(value)


class ProductCategoryView(CachedPageMixin, ChannelProductListView):
    def dispatch(self, request, *args, **kwargs):
        # The category and its ancestors (breadcrumbs) in one query: those whose
        # path begins the category's.
        pk = _pk_or_404(kwargs["pk"])
        category = Category.objects.filter(pk=pk, is_public=True)
        lineage = list(
            _with_translations(
                request,
                Category.objects.filter(
                    Exists(category.filter(path__startswith=OuterRef("path")))
                ).order_by("depth"),
            )
        )
        if not lineage or lineage[-1].pk != pk:
            raise Http404
        *self.ancestors, self.category = lineage
        return super().dispatch(request, *args, **kwargs)

    def products(self):
        return selectors.products_for_channel(
            self.request.channel, category=self.category, language=self.request.LANGUAGE_CODE
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ancestors, category = self.ancestors, self.category
        ctx["summary"] = translated_text(category, "name")
        ctx["category"] = category
        ctx["ancestors"] = ancestors
        return ctx


class SearchView(CachedPageMixin, ChannelProductListView):
    max_query_length = 200

    def products(self):
        self.query = self.request.GET.get("q", "").strip()[: self.max_query_length]
        if not self.query:
            return selectors.products_for_channel(self.request.channel).none()
        return selectors.products_for_channel(
            self.request.channel, query=self.query, language=self.request.LANGUAGE_CODE
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        ctx["summary"] = (
            _('Results for "%(query)s"') % {"query": self.query} if self.query
            else _("Type what you are looking for.")
        )
        return ctx


class _UnitsLeft(StockFill):
    """The product page's "In stock (3 available)": filled per request from the listings' units."""

    def units(self, listing_ids):
        return selectors.units_left(listing_ids)

    def message(self, units):
        return CountedStock.message_for(units)


class ProductDetailView(CachedPageMixin, oscar_views.ProductDetailView):
    """Oscar's product page, for products the channel sells only.

    Kept in the page cache across orders: the units left are holes (``_UnitsLeft``), so
    an order re-renders its product's sentences, not the page (profiled: the page's
    render was a quarter of a guest checkout's time, redone after every order).
    """

    template_name = "storefront/product_detail.html"
    page_stock_fill = _UnitsLeft()

    @classmethod
    def page_stock_of(cls, request, kwargs):
        # The page counts its listings' units left, its variants' too (``order.stock``
        # bumps a variant's parent with it).
        pk = str(kwargs.get("pk", ""))
        return [int(pk)] if _PK.fullmatch(pk) else []

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        product = selectors.product_for_channel(
            self.request.channel, _pk_or_404(self.kwargs["pk"]), language=self.request.LANGUAGE_CODE,
            # A column of the product's query: a product no plan covers costs no more.
            annotations={"has_warranty_plans": warranty_covered(self.request.channel)},
        )
        if product is None:
            # Say so plainly, and show no other country's price.
            raise Http404(
                _("This product is not sold in %(country)s.")
                % {"country": _channel_country_name(self.request)}
            )
        selectors.attach_attribute_values(product)
        return product

    def get_alert_status(self):
        # The page offers no stock alerts (Oscar's would cost a query per signed-in view).
        return False

    def send_signal(self, request, response, product):
        # Oscar's product_viewed feeds the recently-viewed cookie, which no page of ours
        # shows (its analytics receiver is off, see apps.py): a cookie per view would make
        # every product page a private one, never cached.
        return None

    def is_viewable(self, product, request):
        # Staff preview does not apply: not sold here means not shown here.
        if product.is_child:
            return product.is_public and product.parent.is_public
        return product.is_public

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        strategy = self.request.strategy
        product = self.object
        listings = strategy.channel_listings(product)
        if product.is_parent:
            listings = []
            for child in product.get_public_children():
                listings.extend(strategy.channel_listings(child))
        ctx["offers"] = sorted(
            (
                {"listing": sr, "info": strategy.fetch_for_product(sr.product, sr)}
                for sr in listings
            ),
            key=lambda offer: (not offer["listing"].partner.is_official_store, offer["listing"].price),
        )
        return ctx

"""Store pages of a channel: the list of stores and each store's page."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from marketplace.basket.views import BasketAddView
from marketplace.channels.locale_names import country_name
from marketplace.pagecache.pages import CachedPageMixin
from marketplace.storefront.views import ChannelProductListView

from . import selectors
from .offers import ChosenListing, offered_listing


def _country(request) -> str:
    return country_name(request.channel.country.code, request.LANGUAGE_CODE)


SORT_LABELS = {
    "newest": gettext_lazy("Newest"),
    "price": gettext_lazy("Price: low to high"),
    "-price": gettext_lazy("Price: high to low"),
    "title": gettext_lazy("Name"),
}


class StoreListView(CachedPageMixin, TemplateView):
    template_name = "stores/store_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stores"] = selectors.stores_for_channel(self.request.channel)
        return ctx


class StoreDetailView(CachedPageMixin, ChannelProductListView):
    """A store's page: its profile and what it sells here, by category, sorted, paged."""

    template_name = "stores/store_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.store = selectors.store_for_channel(request.channel, kwargs["slug"])
        if self.store is None:
            raise Http404(
                _("There is no store “%(slug)s” in %(country)s.")
                % {"slug": kwargs["slug"][:60], "country": _country(request)}
            )
        self.categories = list(selectors.store_categories(request.channel, self.store))
        self.category = self._chosen_category(request.GET.get("category", ""))
        sort = request.GET.get("sort", "")
        self.sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
        return super().dispatch(request, *args, **kwargs)

    def _chosen_category(self, value):
        if not value:
            return None
        chosen = next((c for c in self.categories if str(c.pk) == value), None)
        if chosen is None:
            raise Http404(_("This store has no such category."))
        return chosen

    def get_queryset(self):
        return selectors.store_products(
            self.request.channel, self.store, category=self.category, sort=self.sort,
            language=self.request.LANGUAGE_CODE,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            store=self.store,
            profile=getattr(self.store, "profile", None),
            categories=self.categories,
            category=self.category,
            sort=self.sort,
            sorts=[{"key": key, "label": label} for key, label in SORT_LABELS.items()],
            summary=self.store.display_name,
            exclusives=selectors.store_exclusives(
                self.request.channel, self.store, language=self.request.LANGUAGE_CODE
            ),
        )
        return ctx


class OfferBasketAddView(BasketAddView):
    """Oscar's add-to-basket, for the seller's offer the shopper chose."""

    def post(self, request, *args, **kwargs):
        listing = offered_listing(
            channel=request.channel, product_id=kwargs["pk"], listing_id=request.POST.get("listing")
        )
        if listing is None:
            raise Http404(
                _("This offer is not available in %(country)s.")
                % {"country": _country(request)}
            )
        request.basket.strategy = ChosenListing(request.strategy, listing)
        return super().post(request, *args, **kwargs)

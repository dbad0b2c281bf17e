"""
The storefront's partner shops: the locator (``/<cc>/retailers/``), each shop's own
page (``/<cc>/r/<slug>/``), its QR code, adding its products to the basket and
leaving it.

The shop a shopper orders from is the one their basket's lines come from; from the first
item added on its page it is kept for the visit (``keeping``: the basket refuses other
sellers' items) until they leave it, which takes its items out.

The pages are cached (``pagecache``) per minute of the channel's clock (they say
whether a shop is open now); the shopper's basket stays in its holes.
"""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from marketplace.basket.views import BasketAddView
from marketplace.locator.views import LocatorMixin
from marketplace.pagecache.pages import CachedPageMixin
from marketplace.stores.offers import ChosenListing

from . import selectors, services
from .keeping import keep_shop, kept_shop, leave_shop
from .pages import minute_key, shop_now


def _no_shop(request, slug):
    return Http404(_("There is no partner shop “%(slug)s” in this country.") % {"slug": str(slug)[:60]})


class RetailerListView(LocatorMixin, CachedPageMixin, TemplateView):
    """Partner shops nearest to a city or to the shopper's position."""

    template_name = "retail/retailer_list.html"
    limit = 20

    @classmethod
    def page_key_extra(cls, request):
        return minute_key(request)

    def dispatch(self, request, *args, **kwargs):
        self.product_id = None
        product = request.GET.get("product", "")
        if product:
            if not (product.isascii() and product.isdigit() and len(product) < 12):
                raise Http404(_("There is no such product."))
            self.product_id = int(product)
        return super().dispatch(request, *args, **kwargs)

    def get_locator_keep(self):
        return [("product", str(self.product_id))] if self.product_id else []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        channel = self.request.channel
        rows = []
        if self.origin is not None:
            zones = selectors.zone_statuses(channel)
            city = self.origin.city.name if self.origin.city else ""
            for retailer in selectors.retailers_near(
                channel, self.origin.point, limit=self.limit, product_id=self.product_id
            ):
                offered = services.shop_handovers(retailer, city=city, district="", zones=zones)
                rows.append({
                    "retailer": retailer, "now": shop_now(retailer, zones),
                    "distance_km": retailer.distance_km, "delivers": offered.delivery,
                    "contactless": offered.contactless,
                    "has_product": getattr(retailer, "has_product", None),
                })
        ctx.update(rows=rows, product_id=self.product_id)
        return ctx


class ShopView(CachedPageMixin, TemplateView):
    """A partner shop's own page: the shop, its hours and zone today, its products."""

    template_name = "retail/shop.html"

    @classmethod
    def page_key_extra(cls, request):
        return minute_key(request)

    def dispatch(self, request, *args, **kwargs):
        self.retailer = selectors.retailer_in_channel(request.channel, kwargs["slug"])
        if self.retailer is None:
            raise _no_shop(request, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        retailer, strategy = self.retailer, self.request.strategy
        offers = []
        for listing in selectors.shop_listings(retailer):
            info = strategy.fetch_for_product(listing.product, listing)
            offers.append({"listing": listing, "product": listing.product, "info": info})
        url = self.request.build_absolute_uri(
            reverse("retail:shop", kwargs={"slug": retailer.slug})
        )
        share_text = _("Order from %(shop)s: %(url)s") % {"shop": retailer.name, "url": url}
        ctx.update(
            retailer=retailer, now=shop_now(retailer, selectors.zone_statuses(retailer.channel)),
            hours=list(retailer.hours.all()), offers=offers, share_url=url,
            whatsapp_share=f"https://wa.me/?{urlencode({'text': share_text}, quote_via=quote)}",
            brands=list(retailer.brands.all()),
        )
        return ctx


class ShopQRView(View):
    """The shop page's address as a QR code (SVG), to print in the shop."""

    def get(self, request, slug):
        import segno

        retailer = selectors.retailer_in_channel(request.channel, slug)
        if retailer is None:
            raise _no_shop(request, slug)
        url = request.build_absolute_uri(reverse("retail:shop", kwargs={"slug": retailer.slug}))
        svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "public, max-age=86400"
        return response


class ShopBasketAddView(BasketAddView):
    """Add one of the shop's listings; a basket holds one shop's items or none."""

    def post(self, request, *args, **kwargs):
        retailer = selectors.retailer_in_channel(request.channel, kwargs["slug"])
        if retailer is None:
            raise _no_shop(request, kwargs["slug"])
        raw = str(request.POST.get("listing", ""))
        listing = None
        if raw.isascii() and raw.isdigit() and len(raw) < 12:
            listing = selectors.shop_listings(retailer).filter(pk=int(raw)).first()
        if listing is None:
            raise Http404(_("This shop does not sell that here."))
        kept = kept_shop(request)
        if kept is not None and kept.pk != retailer.pk:
            # Another shop is kept for this visit: leave it first.
            return TemplateResponse(
                request, "retail/shop_kept.html",
                {"retailer": kept, "product": listing.product}, status=409,
            )
        lines = list(request.basket.all_lines()) if request.basket.id else []
        if any(line.stockrecord and line.stockrecord.partner_id != retailer.partner_id for line in lines):
            return TemplateResponse(
                request, "retail/basket_conflict.html", {"retailer": retailer}, status=409
            )
        request.basket.strategy = ChosenListing(request.strategy, listing)
        kwargs = {"pk": listing.product_id}
        response = super().post(request, **kwargs)
        if response.status_code == 302:
            keep_shop(request, retailer)  # the visit is this shop's until the shopper leaves it
        return response

    def get_success_url(self):
        return reverse("basket:summary")


class ShopLeaveView(View):
    """Leave the shop: its items leave the basket, and the visit is the marketplace's again."""

    def post(self, request, slug):
        retailer = selectors.retailer_in_channel(request.channel, slug)
        if retailer is None:
            raise _no_shop(request, slug)
        if request.basket.id:
            request.basket.lines.filter(stockrecord__partner=retailer.partner).delete()
        leave_shop(request)
        messages.info(request, _("You left %(shop)s.") % {"shop": retailer.name})
        # Back where the shopper was going (the item another seller sells), else home.
        target = str(request.POST.get("next", ""))
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("home")


@method_decorator(never_cache, name="dispatch")
class JoinView(View):
    """An invited retailer opens the shop and sets a password (``invitations``)."""

    template_name = "retail/join.html"

    def _render(self, request, status=200, **context):
        return TemplateResponse(request, self.template_name, context, status=status)

    def _invitation(self, request, token):
        from .invitations import invitation_for_token

        return invitation_for_token(token, request.channel)

    def get(self, request, token):
        from .forms import JoinForm
        from .invitations import InvitationError

        try:
            invitation = self._invitation(request, token)
        except InvitationError as error:
            return self._render(request, status=error.status, error=error.message)
        return self._render(request, invitation=invitation, form=JoinForm(invitation=invitation))

    def post(self, request, token):
        from django.contrib.auth import login

        from .forms import JoinForm
        from .invitations import InvitationError, Shop, invitation_accept

        try:
            invitation = self._invitation(request, token)
        except InvitationError as error:
            return self._render(request, status=error.status, error=error.message)
        form = JoinForm(request.POST, invitation=invitation)
        if not form.is_valid():
            return self._render(request, status=400, invitation=invitation, form=form)
        data = form.cleaned_data
        try:
            user = invitation_accept(invitation, password=data["password1"], shop=Shop(
                name=data["name"], address=data["address"], city=data["city"],
                district=data.get("district") or "", phone=data["phone"],
            ))
        except InvitationError as error:
            form.add_error(None, error.message)
            return self._render(request, status=error.status, invitation=invitation, form=form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("/admin/")

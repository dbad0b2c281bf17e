"""
Storefront GET pages from the cache: rendered once per channel, language, address
and version of the data they show, the shopper's parts filled in per request.

A page is rendered for the cache as an anonymous visitor with an empty basket
would see it, with markers where each shopper's own state goes (``holes``);
every request, cached or not, fills them for its own shopper. So a signed-in
shopper with a basket is served from the cache too, and no shopper's basket,
account or messages can be cached into anyone's page.

Never cached: other methods than GET, responses other than 200, responses that
set a cookie or a message, responses that use the CSP nonce (an inline script).

A visitor with nothing of their own (no session, no basket, no message) gets the
same holes as every such visitor: their filled page is kept beside the page, so
their requests render nothing at all.

HTTP caching: a page with nothing of a shopper's in it (no session, no basket,
no message, no CSRF form, and the channel cookie already set) is ``public`` with an ETag
from its cache key, so a conditional GET is a 304 and a CDN may keep it for
``PAGECACHE_SHARED_MAX_AGE`` seconds; browsers revalidate after
``PAGECACHE_MAX_AGE``. Every other page is ``private``. All vary on ``Cookie``,
the only request header besides the address that changes them (the language
is in the address).
"""

import hashlib
from functools import update_wrapper
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from . import holes, versions

_PAGE_KEY = "pagecache:page:{digest}"


def _digest(request, version: str) -> str:
    # Parameters in name order, a repeated one's values in their own order (a view reads
    # the last): ?b=1&a=2 is ?a=2&b=1, but ?s=x&s=y is not ?s=y&s=x.
    query = urlencode(
        [(k, v) for k, values in sorted(request.GET.lists(), key=lambda kv: kv[0]) for v in values]
    )
    parts = (
        versions.release(), request.scheme, request.get_host(), request.path, query,
        request.channel.code, request.LANGUAGE_CODE, version,
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _has_nothing_of_their_own(request) -> bool:
    """No session, no basket, no message: the holes are the same for every such visitor."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
        and not any(name.startswith(settings.OSCAR_BASKET_COOKIE_OPEN) for name in cookies)
    )


def _may_be_shared(request) -> bool:
    """A shared (CDN) cache may keep the response: also no Set-Cookie in it (the channel
    cookie is set on a visitor's first page of a channel)."""
    return request.COOKIES.get(settings.CHANNEL_COOKIE_NAME) == request.channel.code


def _cacheable(request, response) -> bool:
    storage = getattr(request, "_messages", None)
    return (
        isinstance(response, SimpleTemplateResponse)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and getattr(request, "_csp_nonce", None) is None
        and not getattr(storage, "_queued_messages", None)
    )


def _render_skeleton(request, render):
    """The view's response, rendered as the page to cache (the shopper's parts left as markers)."""
    user, basket = request.user, getattr(request, "basket", None)
    request._pagecache_skeleton = True
    # The page is rendered for an anonymous visitor with an empty basket, whoever asks:
    # a template reading the shopper outside a hole cannot put them into the cache.
    request.user = AnonymousUser()
    if basket is not None:
        # By label, as the receivers name models: the page cache imports none of the apps
        # whose pages it keeps (the strategy reads its versions: no import circle).
        request.basket = apps.get_model("basket", "Basket")(channel=request.channel)
        request.basket.strategy = request.strategy
    try:
        response = render()
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.context_data = {
                **(response.context_data or {}),
                "csrf_token": holes.csrf_marker(),
                "basket": request.basket,
            }
            response.render()
    finally:
        request._pagecache_skeleton = False
        request.user = user
        if basket is not None:
            request.basket = basket
    return response


def _headers(response, request, *, shared: bool, etag: str) -> HttpResponse:
    patch_vary_headers(response, ("Cookie",))
    if shared:
        response["ETag"] = etag
        patch_cache_control(
            response, public=True, max_age=settings.PAGECACHE_MAX_AGE,
            s_maxage=settings.PAGECACHE_SHARED_MAX_AGE,
        )
    else:
        patch_cache_control(response, private=True)
    return response


class StockFill:
    """How a page's units-left holes are filled: given by the view that counts units.

    ``units(listing_ids)`` reads what is left of each listing now (a dict by id);
    ``message(units)`` is the sentence shown for it, in the active language.
    """

    def units(self, listing_ids) -> dict[int, int]:
        raise NotImplementedError

    def message(self, units: int) -> str:
        raise NotImplementedError


_UNITS_KEY = "pagecache:units:{digest}"


def _fill_stock(content, entry, request, stock: str, stock_fill) -> str:
    """Units left of the page's listings, kept under the product's stock token (so read
    from the database once per stock move), in place of their markers."""
    listing_ids = entry.get("stock") or []
    if not listing_ids or stock_fill is None:
        return content
    # The page version too: a listing saved in the admin bumps the channel, not the product.
    parts = (versions.release(), str(request.channel.pk), request._pagecache_version, stock,
             ",".join(map(str, listing_ids)))
    key = _UNITS_KEY.format(digest=hashlib.sha256("\n".join(parts).encode()).hexdigest())
    units = cache.get(key)
    if units is None:
        # Read after the token (``page_versions``): every move it stands for is in.
        units = stock_fill.units(listing_ids)
        cache.set(key, units, settings.PAGECACHE_TIMEOUT)
    return holes.fill_stock(content, units, stock_fill.message)


def serve(request, render, *, extra: str = "", stock_of=(), stock_fill: StockFill | None = None) -> HttpResponse:
    """The page ``render()`` (the view) would answer, from the cache when it can be.

    ``extra``: what else the page depends on (a page that says whether a shop is open
    now names the minute), part of its key. ``stock_of``: the products whose units
    left the page counts (a product page); ``stock_fill`` fills them in per request, so
    the page itself is kept across stock moves and only the sentences change (keyed by
    the products' stock tokens).
    """
    channel = getattr(request, "channel", None)
    if request.method != "GET" or channel is None or not settings.PAGECACHE_ENABLED:
        return render()
    version, stock = versions.page_versions(channel, stock_of)
    # Read before anything of the page is: the basket holes are kept under it too (not
    # under the product's stock: a basket's holes are the same on every product page).
    request._pagecache_version = version
    digest = _digest(request, version + (f":{extra}" if extra else ""))
    key = _PAGE_KEY.format(digest=digest)
    etag = f'"{hashlib.sha256(f"{digest}:{stock}".encode()).hexdigest()[:32]}"' if stock else f'"{digest[:32]}"'
    # The page as every visitor with nothing of their own sees it, holes filled: kept
    # beside the page, so most visitors' requests render nothing at all.
    shared_key = f"{key}:shared" + (f":{stock}" if stock else "")
    found = cache.get_many([key, shared_key])
    entry = found.get(key)
    if entry is None:
        response = _render_skeleton(request, render)
        if not _cacheable(request, response):
            if isinstance(response, SimpleTemplateResponse) and response.is_rendered:
                content = response.content.decode(response.charset)
                entry = {"stock": holes.stock_listing_ids(content)}
                content = _fill_stock(content, entry, request, stock, stock_fill)
                response.content = holes.fill(content, request)
            return response
        content = response.content.decode(response.charset)
        entry = {
            "content": content,
            "content_type": response["Content-Type"],
            "csrf": holes.has_csrf_hole(content),
            "stock": holes.stock_listing_ids(content),
        }
        cache.set(key, entry, settings.PAGECACHE_TIMEOUT)
    if entry["csrf"] or not _has_nothing_of_their_own(request):
        content = _fill_stock(entry["content"], entry, request, stock, stock_fill)
        response = HttpResponse(holes.fill(content, request), content_type=entry["content_type"])
        return _headers(response, request, shared=False, etag=etag)
    public = _may_be_shared(request)
    if public:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _headers(not_modified, request, shared=True, etag=etag)
    content = found.get(shared_key)
    if content is None:
        content = holes.fill(_fill_stock(entry["content"], entry, request, stock, stock_fill), request)
        cache.set(shared_key, content, settings.PAGECACHE_TIMEOUT)
    response = HttpResponse(content, content_type=entry["content_type"])
    return _headers(response, request, shared=public, etag=etag)


class CachedPageMixin:
    """For storefront views whose GET page is the same for every shopper but for the holes.

    Wraps the whole view (``as_view``), so a page served from the cache skips the
    view's own look-ups in ``dispatch`` (a category, a store) too.
    """

    @classmethod
    def page_key_extra(cls, request) -> str:
        """What the page shows besides the data versions (e.g. the time): part of its key."""
        return ""

    @classmethod
    def page_stock_of(cls, request, kwargs) -> list[int]:
        """The products whose units left the page counts ("3 available"): their own tokens.

        Every other page shows only whether a listing can be bought (the channel's stock
        status token, in every page's version).
        """
        return []

    # Fills the units-left holes of a page that counts units (``StockFill``).
    page_stock_fill: StockFill | None = None

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)

        def cached_view(request, *args, **kwargs):
            return serve(
                request, lambda: view(request, *args, **kwargs), extra=cls.page_key_extra(request),
                stock_of=cls.page_stock_of(request, kwargs), stock_fill=cls.page_stock_fill,
            )

        return update_wrapper(cached_view, view)

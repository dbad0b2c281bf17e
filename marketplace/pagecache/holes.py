"""
The parts of a storefront page that differ per shopper, rendered per request.

A cached page is the same for everyone who asks for it; where a shopper's own
state goes it holds a marker (``{% hole "name" %}`` in the templates, and the
CSRF token's value), filled on every request, cached or not, from the small
templates below. Each renders with a context of its own (the request, the
shopper, the messages), never with the page's: nothing of the page's shopper
can get into them, nor anything of theirs into the page.

The basket holes (mini basket, header button) cost most: the lines, their
products, pictures, titles, listings and rules, then Oscar's totals over them.
They are the same on every page until the basket or what it shows changes, so
they are kept in the shared cache under the basket's own id and the versions
of what they show: the basket's token (bumped by every write to it or its lines,
``receivers``) and the page version (prices, stock, rules in force, products,
titles, the date), with the language and the deploy. A shopper only ever reads
the entry of the basket the request's own session or cookie names, so no
shopper can see another's; any change to it or to what it shows is a new key.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from . import versions

# Hole name -> template rendered into it.
HOLES = {
    "account_links": "oscar/partials/account_links.html",
    "mini_basket": "oscar/partials/mini_basket.html",
    "nav_basket": "oscar/partials/nav_basket.html",
    "messages": "oscar/partials/alert_messages.html",
}


@functools.lru_cache(maxsize=1)
def csrf_marker() -> str:
    """Stands for the CSRF token in a cached page: the same in every process of a deploy
    (they share the cache) and secret, so no text a seller or a search puts on a page can
    be turned into a shopper's token."""
    return salted_hmac("marketplace.pagecache.csrf", "marker").hexdigest()


def _csrf_input(value: str) -> str:
    # Django's {% csrf_token %}: the marker is replaced only as the value of this input.
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{value}">'


_MARKER = "<!--pagecache-hole:{name}-->"
_MARKERS = re.compile(r"<!--pagecache-hole:([a-z_]+)-->")


def is_skeleton_render(request) -> bool:
    """Whether the page being rendered is the one to cache (holes left as markers)."""
    return getattr(request, "_pagecache_skeleton", False)


def marker(name: str) -> str:
    if name not in HOLES:
        raise ValueError(f"unknown page hole {name!r}")
    return _MARKER.format(name=name)


# Holes that show only the request's basket: rendered together and kept (see above).
BASKET_HOLES = ("mini_basket", "nav_basket")
_BASKET_HOLES_KEY = "pagecache:basket-holes:{digest}"


def render_hole(name: str, request) -> str:
    if name in BASKET_HOLES:
        kept = basket_holes(request, (name,))
        if kept is not None:
            return kept[name]
    return _render(name, request)


def _render(name: str, request) -> str:
    template = get_template(HOLES[name]).template
    context = Context({
        "request": request,
        "user": getattr(request, "user", None) or AnonymousUser(),
        "messages": get_messages(request),
        "channel": getattr(request, "channel", None),
        "LANGUAGE_CODE": getattr(request, "LANGUAGE_CODE", None),
    })
    return template.render(context)


def _basket_holes_key(request, basket) -> str | None:
    """The cache key of this basket's holes as they are now; ``None``: not to be kept."""
    channel = getattr(request, "channel", None)
    if channel is None or not settings.PAGECACHE_ENABLED or basket is None:
        return None
    # The page version read at the start of a cached page's request (before anything
    # of the page was read), else now.
    page_version = getattr(request, "_pagecache_version", None) or versions.page_version(channel)
    basket_token = "new" if basket.id is None else _token_read_first(request, basket)
    if basket_token is None:
        basket_token = versions.basket_version(basket.id)
    parts = (
        versions.release(), request.scheme, request.get_host(), channel.code,
        request.LANGUAGE_CODE, page_version, str(basket.id), str(basket_token),
    )
    return _BASKET_HOLES_KEY.format(digest=hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest())


def basket_token_first(request) -> None:
    """For a view that reads its basket's lines before its page renders (the flash sale's
    checkout): the basket's token read now, before the lines, so that the holes rendered
    from them can be kept under it (``basket_holes``). Its one read of the token, earlier."""
    basket = getattr(request, "basket", None)
    if (basket is None or getattr(request, "channel", None) is None or not settings.PAGECACHE_ENABLED
            or basket.id is None or getattr(basket, "_lines", None) is not None):
        return
    request._pagecache_basket_token = (basket.id, versions.basket_version(basket.id))


def _token_read_first(request, basket):
    """The basket's token read before its lines this request (``basket_token_first``), or None."""
    known = getattr(request, "_pagecache_basket_token", None)
    return known[1] if known is not None and known[0] == basket.id else None


def basket_holes(request, names=BASKET_HOLES) -> dict[str, str] | None:
    """The request's basket holes ``names`` (those its page shows), from the shared cache
    when they are there (``None``: the page cache is off, or there is no basket here).
    A hole no page has asked for under this version is never rendered: the entry holds
    the holes rendered so far, and a page with another adds it."""
    basket = getattr(request, "basket", None)
    # Lines already read this request (a checkout step) may be older than the token
    # read now: such a render is shown but never kept; unless the token was read before
    # them (``basket_token_first``) and the request is a GET: a POST may have changed the
    # lines in memory and not in the database (an order refused and rolled back).
    fresh = basket is not None and (
        getattr(basket, "_lines", None) is None
        or (request.method in ("GET", "HEAD") and _token_read_first(request, basket) is not None)
    )
    key = _basket_holes_key(request, basket)
    if key is None:
        return None
    kept = cache.get(key) or {}
    missing = [name for name in names if name not in kept]
    if not missing:
        return kept
    # Every entry under this key is of the basket as it is at this version (or newer):
    # the holes kept and those rendered now go together.
    rendered = {**kept, **{name: _render(name, request) for name in missing}}
    if fresh:
        cache.set(key, rendered, settings.PAGECACHE_TIMEOUT)
    return rendered


# Units left of a listing ("In stock (3 available)") on a product page: a marker in the
# cached page, filled per request from the listings' units kept under the product's stock
# token (``pages``), so an order re-renders a sentence, not the page. Keyed with the secret
# marker, so no text a seller puts on a page can ask for a fill.
_STOCK_MARKERS = re.compile(r"<!--pagecache-stock:([0-9a-f]{16}):([0-9]{1,18})-->")


def stock_marker(listing_pk: int) -> str:
    return f"<!--pagecache-stock:{csrf_marker()[:16]}:{int(listing_pk)}-->"


def stock_listing_ids(content: str) -> list[int]:
    """The listings whose units left ``content`` leaves to fill."""
    secret = csrf_marker()[:16]
    return sorted({int(pk) for key, pk in _STOCK_MARKERS.findall(content) if key == secret})


def fill_stock(content: str, units: dict[int, int], message) -> str:
    """``content`` with ``message(units left)`` (escaped) in place of each listing's marker."""
    secret = csrf_marker()[:16]

    def sentence(match):
        if match.group(1) != secret:
            return match.group(0)
        return escape(message(units.get(int(match.group(2)), 0)))

    return _STOCK_MARKERS.sub(sentence, content)


def has_csrf_hole(content: str) -> bool:
    return _csrf_input(csrf_marker()) in content


def fill(content: str, request) -> str:
    """``content`` with this request's CSRF token and holes in place of the markers."""
    csrf_hole = _csrf_input(csrf_marker())
    if csrf_hole in content:
        # Before the holes: a message's text must not turn into a token.
        content = content.replace(csrf_hole, _csrf_input(get_token(request)))
    # The basket holes read the lines through ``Basket.all_lines`` (basket.lines: one
    # query with products, classes, listings, titles and pictures), when they are not
    # in the shared cache already.
    rendered: dict[str, str] = {}

    def hole(match):
        name = match.group(1)
        if name not in rendered and name in BASKET_HOLES:
            # Those of the page at once: one cache read.
            shown = [other for other in BASKET_HOLES if other == name or marker(other) in content]
            rendered.update(basket_holes(request, shown) or {})
        if name not in rendered:
            rendered[name] = render_hole(name, request) if name in HOLES else ""
        return rendered[name]

    return _MARKERS.sub(hole, content)

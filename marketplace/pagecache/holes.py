"""
The parts of a storefront page that differ per shopper, rendered per request.

A cached page is the same for everyone who asks for it; where a shopper's own
state goes it holds a marker (``{% hole "name" %}`` in the templates, and the
CSRF token's value), filled on every request, cached or not, from the small
templates below. Each renders with a context of its own (the request, the
shopper, the messages), never with the page's: nothing of the page's shopper
can get into them, nor anything of theirs into the page.
"""

import functools
import re

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.crypto import salted_hmac

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


def render_hole(name: str, request) -> str:
    template = get_template(HOLES[name]).template
    context = Context({
        "request": request,
        "user": getattr(request, "user", None) or AnonymousUser(),
        "messages": get_messages(request),
        "channel": getattr(request, "channel", None),
        "LANGUAGE_CODE": getattr(request, "LANGUAGE_CODE", None),
    })
    return template.render(context)


def has_csrf_hole(content: str) -> bool:
    return _csrf_input(csrf_marker()) in content


def fill(content: str, request) -> str:
    """``content`` with this request's CSRF token and holes in place of the markers."""
    csrf_hole = _csrf_input(csrf_marker())
    if csrf_hole in content:
        # Before the holes: a message's text must not turn into a token.
        content = content.replace(csrf_hole, _csrf_input(get_token(request)))
    # The basket holes read the lines through ``Basket.all_lines`` (basket.lines: one
    # query with products, classes, listings, titles and pictures).
    rendered: dict[str, str] = {}

    def hole(match):
        name = match.group(1)
        if name not in rendered:
            rendered[name] = render_hole(name, request) if name in HOLES else ""
        return rendered[name]

    return _MARKERS.sub(hole, content)

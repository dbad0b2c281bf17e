"""
Rich text that staff enter (product, category and store descriptions, their
translations, flat pages), made safe to show on the storefront.

Brand managers, sellers and operators write HTML into these fields, and the
storefront shares its origin with the admin: a ``<script>`` or an
``<img onerror>`` in a description would run in every shopper's (and every
superuser's) browser. ``clean()`` keeps an allow-list of formatting tags and
attributes (links to http, https and mailto only) through nh3, a maintained
HTML sanitiser; everything else is removed, and text is escaped.

Sanitised on render, not on save: render is the one place every path meets
(admin forms and inlines, translations, ``seed_demo``, imports, the shell,
rows written before this existed), so nothing can reach a page unsanitised,
and a tighter allow-list applies to old content at once. The text stays as
staff typed it. Results are cached per text in the process, so a page shown
again costs a dictionary look-up.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = frozenset({
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "small", "sub", "sup",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "code", "pre", "span", "a",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
})
# No ``style`` (CSS can overlay the page or exfiltrate), no ``class``/``id``
# (they can dress content up as the site's own buttons), no event handlers.
ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    return nh3.clean(
        text, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
    )


def clean(value) -> SafeString:
    """``value`` (HTML from staff) with only the allowed tags and attributes, safe to show."""
    if value is None:
        return mark_safe("")
    return mark_safe(_clean(str(value)))

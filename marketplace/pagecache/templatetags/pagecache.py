"""
``{% hole "mini_basket" %}``: a per-shopper part of a page (see ``pagecache.holes``).
``{% availability_message availability listing %}``: units left, filled per request.
``{% page_setup %}…{% endpage_setup %}``: Oscar's page set-up script, inline only when needed.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from marketplace.pagecache import holes

register = template.Library()


@register.simple_tag(takes_context=True)
def hole(context, name):
    request = context.get("request")
    if request is None:
        return ""
    if holes.is_skeleton_render(request):
        return mark_safe(holes.marker(name))
    return mark_safe(holes.render_hole(name, request))


@register.simple_tag(takes_context=True)
def availability_message(context, availability, listing=None):
    """``availability.message``; in a page rendered for the cache, a marker where it counts
    the units left of ``listing`` (filled per request: ``pagecache.pages``)."""
    request = context.get("request")
    if (
        request is not None and holes.is_skeleton_render(request) and listing is not None
        and getattr(availability, "counts_units", False) and availability.num_available > 0
    ):
        return mark_safe(holes.stock_marker(listing.pk))
    return availability.message


@register.tag
def page_setup(parser, token):
    nodelist = parser.parse(("endpage_setup",))
    parser.delete_first_token()
    return PageSetupNode(nodelist)


class PageSetupNode(template.Node):
    """An inline script only for pages with set-up of their own (Oscar's basket, checkout
    gateway, wishlists), allowed by the response's CSP nonce; those pages are never cached.
    Every other page's set-up (``oscar.init()``) runs from ``js/page-setup.js``, so the
    page carries no inline script and no per-response nonce."""

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        script = self.nodelist.render(context).strip()
        if not script:
            return ""
        request = context.get("request")
        nonce = getattr(request, "csp_nonce", "") if request is not None else ""
        return format_html(
            '<script nonce="{}">$(function() {{ {} }});</script>', nonce, mark_safe(script)
        )

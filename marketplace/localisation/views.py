"""
Choosing a language, and the sitemaps.

``set_language`` is Django's form target (``language`` and ``next``) made to
know channel addresses: choosing a language for a storefront page sends the
shopper to that page in the language if the channel offers it, and to the
channel's default language if not (never an error). Outside a channel (the
admin, the picker) it sets the language cookie those pages read.
"""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.channels.resolution import language_prefix, split_path
from marketplace.channels.selectors import active_channels

from .sitemaps import channel_sitemaps


def _known_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def url_in_language(url: str, language: str | None) -> str:
    """``url`` (a path, maybe with a query) in ``language``, if it is a channel's page.

    The channel's default language when it does not offer ``language``; the
    page's own language when ``language`` is None. Other URLs are returned
    unchanged.
    """
    path, mark, query = url.partition("?")
    parts = split_path(path, _known_languages())
    code = parts.code.lower() if parts else None
    channel = next((c for c in active_channels() if c.code == code), None)
    if channel is None:
        return url
    if language is None:  # nothing chosen: the page's own language, if offered
        language = parts.language
    if not (language and channel.offers_language(language)):
        language = channel.default_language
    return language_prefix(channel.code, language, channel.default_language) + parts.rest + mark + query


@require_http_methods(["GET", "POST"])
def set_language(request):
    next_url = request.POST.get("next", request.GET.get("next")) or request.META.get("HTTP_REFERER")
    if not next_url or not url_has_allowed_host_and_scheme(
        url=next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    language = request.POST.get("language") if request.method == "POST" else None
    if language not in _known_languages():
        language = None  # unknown: change nothing
    if next_url.startswith("/"):
        next_url = url_in_language(next_url, language)
    response = HttpResponseRedirect(next_url)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language,
            max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _sitemaps(request):
    return channel_sitemaps(request.active_channels, domain=request.get_host(), protocol=request.scheme)


@require_GET
def sitemap_index(request):
    """``/sitemap.xml``: the sitemap of every channel in each of its languages."""
    items = []
    for section, sitemap in _sitemaps(request).items():
        location = request.build_absolute_uri(reverse("sitemap-section", kwargs={"section": section}))
        items.append(sitemap_views.SitemapIndexItem(location, None))
        items += [
            sitemap_views.SitemapIndexItem(f"{location}?p={page}", None)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def sitemap_section(request, section):
    """``/sitemap-<cc>-<lang>.xml``; an unknown section is a 404."""
    return sitemap_views.sitemap(request, sitemaps=_sitemaps(request), section=section)


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")

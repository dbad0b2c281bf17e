"""
Channel resolution: ``/<cc>/[<lang>/]…`` picks the channel and the language.

The prefix is taken off ``path_info`` and made the script prefix, the way a
site mounted under a sub-path works. Every ``reverse()`` and ``{% url %}`` in
Oscar's views and templates therefore stays inside the shopper's country and
language without knowing about either.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix, set_urlconf
from django.utils import timezone, translation

from . import context
from .resolution import language_prefix, split_path
from .selectors import active_channels


def _known_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


class ChannelMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.channel = None
        # Read once per request; templates list every channel for links.
        request.active_channels = active_channels()
        parts = split_path(request.path_info, _known_languages())
        code = parts.code.lower() if parts else None
        channel = next((c for c in request.active_channels if c.code == code), None)
        if channel is None:
            # The picker, the admin, static files, and unknown or inactive
            # codes, which the root URLconf answers with a 404.
            # The language lasts for this request only (override restores it),
            # so nothing leaks into the next request served by this thread.
            with translation.override(translation.get_language_from_request(request)):
                request.LANGUAGE_CODE = translation.get_language()
                return self.get_response(request)

        query = request.META.get("QUERY_STRING", "")
        suffix = f"?{query}" if query else ""
        if parts.code != channel.code or not parts.has_trailing_slash:
            # /NG/… and /ng: one canonical address per page.
            prefix = language_prefix(channel.code, parts.language, channel.default_language) \
                if parts.language else f"/{channel.code}/"
            return HttpResponsePermanentRedirect(prefix + parts.rest + suffix)

        language = parts.language or channel.default_language
        if parts.language and (
            parts.language == channel.default_language or not channel.offers_language(language)
        ):
            # A language the channel does not offer (or its default spelled
            # out) falls back to the same page in the default language.
            return HttpResponseRedirect(f"/{channel.code}/{parts.rest}{suffix}")

        return self._serve_in_channel(request, channel, language, parts.rest)

    def _serve_in_channel(self, request, channel, language, rest):
        outer_prefix = get_script_prefix()
        request.channel = channel
        request.channel_language = language
        request.path_info = "/" + rest
        request.urlconf = settings.STOREFRONT_URLCONF
        set_script_prefix(
            outer_prefix.rstrip("/") + language_prefix(channel.code, language, channel.default_language)
        )
        request.LANGUAGE_CODE = language
        context.activate(channel)
        # Dates in templates ({{ value|date }} and Oscar's own) in the country's time.
        timezone.activate(channel.tzinfo)
        try:
            with translation.override(language):
                response = self.get_response(request)
        finally:
            timezone.deactivate()
            context.deactivate()
            set_script_prefix(outer_prefix)
            set_urlconf(None)
        response.headers.setdefault("Content-Language", language)
        if request.COOKIES.get(settings.CHANNEL_COOKIE_NAME) != channel.code:
            response.set_cookie(
                settings.CHANNEL_COOKIE_NAME, channel.code,
                max_age=settings.CHANNEL_COOKIE_AGE, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE, httponly=True,
            )
        return response

"""The answer to a client that asks too often: 429, ``Retry-After`` and a translated message."""

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, ngettext


def minutes_to_wait(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def too_many_requests(request, retry_after: int, *, json: bool = False, message: str = "", title: str = ""):
    """A 429 saying when to come back: JSON for a JSON endpoint, else a page in the shopper's language."""
    minutes = minutes_to_wait(retry_after)
    message = message or ngettext(
        "Too many requests. Please try again in %(count)d minute.",
        "Too many requests. Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
    if json:
        response = JsonResponse(
            {"ok": False, "error": "too_many_requests", "message": message, "retry_after": retry_after},
            status=429,
        )
    else:
        response = render(
            request, "429.html",
            {"title": title or gettext("Too many requests"), "message": message},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    # Never cached: the refusal is for this client, and only for now.
    add_never_cache_headers(response)
    return response

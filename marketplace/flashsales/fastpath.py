"""
The hot path's cheapest answers, in front of Django: a WSGI wrapper.

Most "Buy now" presses of a hot item come after its last unit went (a crowd many
times the units), or before the start. Those answers change nothing, so they
need no session, CSRF check, basket, middleware stack or URL resolution: this
wrapper answers a JSON claim (``Accept: application/json``, the API and the
bench) for a sale not started, ended or stopped (from the item's card) or sold
out (units left from Redis's script, or the database path's snapshot in the
shared cache) with the same status and translated message the view gives, and
never touches PostgreSQL. Everything else, every claim that could be granted,
any card or channel it does not know, an HTML form's post, goes to Django
unchanged, which decides exactly as before (the script stays the only judge of
a grant).

Served by gunicorn as ``marketplace.wsgi:application`` (see ``marketplace/wsgi.py``).
"""

import json
import logging
import re

from django.conf import settings
from django.utils import timezone, translation

from . import messages, rules

logger = logging.getLogger(__name__)

_CLAIM = re.compile(r"^/(?P<code>[a-z]{2})/(?:(?P<language>[a-z]{2,3})/)?flash-sales/items/(?P<id>[0-9]{1,10})/claim/$")
_HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
            ("X-Content-Type-Options", "nosniff")]


def wrap(django_app):
    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and "application/json" in environ.get("HTTP_ACCEPT", ""):
            match = _CLAIM.match(environ.get("PATH_INFO", ""))
            if match is not None:
                try:
                    answer = refusal(code=match["code"], language=match["language"], item_id=int(match["id"]))
                except Exception:
                    # The cache or the database failing here (a restart, a dead connection) is
                    # Django's to answer: its handlers, its error page, its logs.
                    logger.exception("Flash-sale fast path failed; Django answers this claim")
                    answer = None
                if answer is not None:
                    status, body = answer
                    start_response(status, [*_HEADERS, ("Content-Length", str(len(body)))])
                    return [body]
        return django_app(environ, start_response)

    return application


def refusal(*, code: str, language: str | None, item_id: int):
    """``(status line, JSON body)`` when the claim is refused without a count, else None (Django decides)."""
    from marketplace.channels.selectors import active_channels

    from .counts import units_left
    from .selectors import item_card

    card = item_card(item_id)
    if card is None:
        return None
    channel = next((c for c in active_channels() if c.pk == card.channel_id), None)
    if channel is None or channel.code != code:
        return None
    if language is None:
        language = channel.default_language
    elif language == channel.default_language or not channel.offers_language(language):
        return None  # Django redirects these
    state = card.state(timezone.now())
    left = None
    if state == rules.UPCOMING:
        refused = rules.NOT_STARTED
    elif state != rules.LIVE:
        refused = rules.SALE_ENDED
    else:
        left = units_left(item_id=card.id, units=card.units, database=False)
        if left is None or left > 0:
            return None
        refused = rules.SOLD_OUT
    with translation.override(language if language in dict(settings.LANGUAGES) else channel.default_language):
        message = str(messages.refusal(refused, per_shopper=card.per_shopper, per_order=card.per_order))
    body = {"status": refused, "message": message, "left": left}
    return "409 Conflict", json.dumps(body).encode()

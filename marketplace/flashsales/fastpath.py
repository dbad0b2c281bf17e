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

It also serves, with no query at all, what a crowd reloads while it waits:

- the status poll (``flash-sales/status/?items=…``), from the cached cards and
  Redis's counts (or the database path's one-second snapshot); any item it cannot
  answer for without PostgreSQL sends the whole poll to Django;
- the sale page and a festival's page, for a visitor with nothing of their own
  (no session, basket or message; the channel cookie and a CSRF cookie only): the
  page Django served such a visitor, kept in the shared cache under the channel's
  page version (``pagecache.versions``) with its CSRF token cut out, and filled
  with this visitor's own masked token. A change to anything the page shows moves
  the version, so the next request renders afresh; the last unit claimed moves it
  too (``admission._sold_out``).

Short-lived copies in each process, so the hottest answer (a sold-out claim) needs
no round trip at all: the channels for a second (which addresses are served; what a
channel's pages show is in the page version) and an item's "sold out" for a tenth of
a second (a unit given back shows 0.1 s later, and its claim is still the script's to
grant). The page version is read from the shared cache on every page and poll (one
round trip): a change made in the admin or by a task shows on the very next page, as
everywhere else on the storefront.

Served by gunicorn as ``marketplace.wsgi:application`` (see ``marketplace/wsgi.py``).
"""

import hashlib
import json
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, SimpleCookie, parse_cookie
from django.middleware import csrf
from django.utils import timezone, translation
from django.utils.text import compress_string
from django.utils.translation import ngettext

from . import messages, rules

logger = logging.getLogger(__name__)

_CLAIM = re.compile(r"^/(?P<code>[a-z]{2})/(?:(?P<language>[a-z]{2,3})/)?flash-sales/items/(?P<id>[0-9]{1,10})/claim/$")
_STATUS = re.compile(r"^/(?P<code>[a-z]{2})/(?:(?P<language>[a-z]{2,3})/)?flash-sales/status/$")
_PAGE = re.compile(r"^/(?P<code>[a-z]{2})/(?:(?P<language>[a-z]{2,3})/)?flash-sales/(?:festival/[-a-zA-Z0-9_]{1,100}/)?$")
_ITEMS = re.compile(r"items=([0-9]{1,10}(?:,[0-9]{1,10}){0,29})", re.ASCII)
_HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
            ("X-Content-Type-Options", "nosniff")]
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                "HTTP_RANGE")

# Per-process copies (see the module's text for why these ages are safe).
CHANNELS_SECONDS = 1.0
SOLD_OUT_SECONDS = 0.1
_lock = threading.Lock()
_channels: list = [0.0, None]
_sold_out: dict[int, float] = {}


def _active_channels():
    from marketplace.channels.selectors import active_channels

    now = time.monotonic()
    kept_at, channels = _channels
    if channels is None or now - kept_at >= CHANNELS_SECONDS:
        channels = active_channels()
        _channels[:] = [now, channels]
    return channels


def _channel(code: str, language: str | None):
    """``(channel, language)`` of an address Django would serve as is, else None (it redirects)."""
    channel = next((c for c in _active_channels() if c.code == code), None)
    if channel is None:
        return None
    if language is None:
        return channel, channel.default_language
    if language == channel.default_language or not channel.offers_language(language):
        return None
    return channel, language


def _page_version(channel) -> str:
    # Never kept in the process: the next page after a change must show it.
    from marketplace.pagecache.versions import page_version

    return page_version(channel)


def _units_left(card) -> int | None:
    """Units left without PostgreSQL (None: unknown here); "sold out" kept a tenth of a second."""
    from .counts import units_left

    now = time.monotonic()
    seen = _sold_out.get(card.id)
    if seen is not None and now - seen < SOLD_OUT_SECONDS:
        return 0
    left = units_left(item_id=card.id, units=card.units, database=False)
    if left == 0:
        with _lock:
            if len(_sold_out) > 10_000:
                _sold_out.clear()
            _sold_out[card.id] = now
    return left


def forget() -> None:
    """Drop this process's copies (tests; a shell that changed a channel)."""
    _channels[:] = [0.0, None]
    _sold_out.clear()


def wrap(django_app):
    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and settings.FLASHSALES_FASTPATH:
            path = environ.get("PATH_INFO", "")
            try:
                if (match := _STATUS.match(path)) is not None:
                    answer = status_body(code=match["code"], language=match["language"],
                                    query=environ.get("QUERY_STRING", ""))
                    if answer is not None:
                        start_response("200 OK", [*_HEADERS, ("Content-Length", str(len(answer)))])
                        return [answer]
                elif (match := _PAGE.match(path)) is not None:
                    served = page(django_app, environ, start_response, code=match["code"],
                                  language=match["language"])
                    if served is not None:
                        return served
            except Exception:
                logger.exception("Flash-sale fast path failed; Django answers this request")
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
    from .selectors import item_card

    card = item_card(item_id)
    if card is None:
        return None
    found = _channel(code, language)  # None: Django redirects these
    if found is None or found[0].pk != card.channel_id:
        return None
    channel, language = found
    state = card.state(timezone.now())
    left = None
    if state == rules.UPCOMING:
        refused = rules.NOT_STARTED
    elif state != rules.LIVE:
        refused = rules.SALE_ENDED
    else:
        left = _units_left(card)
        if left is None or left > 0:
            return None
        refused = rules.SOLD_OUT
    with translation.override(language if language in dict(settings.LANGUAGES) else channel.default_language):
        message = str(messages.refusal(refused, per_shopper=card.per_shopper, per_order=card.per_order))
    body = {"status": refused, "message": message, "left": left}
    return "409 Conflict", json.dumps(body).encode()


def status_body(*, code: str, language: str | None, query: str) -> bytes | None:
    """The status poll's JSON body as the view gives it, or None (Django answers)."""
    from .selectors import item_card

    match = _ITEMS.fullmatch(query)
    found = _channel(code, language)
    if match is None or found is None:
        return None  # malformed lists get the view's 4xx
    channel, language = found
    moment = timezone.now()
    items = {}
    with translation.override(language):
        for item_id in dict.fromkeys(int(part) for part in match[1].split(",")):
            card = item_card(item_id)
            if card is None or card.channel_id != channel.pk:
                continue
            state = card.state(moment)
            left = _units_left(card)
            if left is None:
                return None  # not counted without PostgreSQL yet, or Redis is down: the view's answer
            items[str(item_id)] = {
                "state": state, "left": left, "sold_out": state == rules.LIVE and left <= 0,
                "left_text": ngettext("%(left)d left", "%(left)d left", left) % {"left": left},
            }
    return json.dumps({"items": items}).encode()


# The sale and festival pages ------------------------------------------------------

_PAGE_KEY = "flashsales:fastpage:{digest}"
_TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9]{64}")
_HOLE = "\x00flash-csrf\x00"
_DROPPED = {"content-length", "set-cookie", "content-encoding"}


def _visitor(environ, channel) -> tuple[str | None, bool] | None:
    """A visitor with nothing of their own (at most the channel's and a CSRF cookie), else None:
    ``(their CSRF secret or None, whether the channel cookie is to be set)``."""
    if settings.CSRF_USE_SESSIONS or any(name in environ for name in _CONDITIONAL):
        return None
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    if not set(cookies) <= {settings.CHANNEL_COOKIE_NAME, settings.CSRF_COOKIE_NAME}:
        return None
    if cookies.get(settings.CHANNEL_COOKIE_NAME, channel.code) != channel.code:
        return None  # another channel's cookie: Django moves it here
    secret = cookies.get(settings.CSRF_COOKIE_NAME)
    if secret is not None and not _is_secret(secret):
        return None  # an old masked token, or junk: Django's to replace
    return secret, settings.CHANNEL_COOKIE_NAME not in cookies


def _is_secret(value: str) -> bool:
    return len(value) == csrf.CSRF_SECRET_LENGTH and value.isascii() and value.isalnum()


def _new_cookies(channel, secret: str | None, channel_cookie: bool) -> list[tuple[str, str]]:
    """The cookies Django would set a first visitor: the CSRF secret and the channel, its way."""
    response = HttpResponse()
    if secret is not None:
        response.set_cookie(
            settings.CSRF_COOKIE_NAME, secret, max_age=settings.CSRF_COOKIE_AGE, domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH, secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY, samesite=settings.CSRF_COOKIE_SAMESITE,
        )
    if channel_cookie:  # as ``channels.middleware``
        response.set_cookie(
            settings.CHANNEL_COOKIE_NAME, channel.code, max_age=settings.CHANNEL_COOKIE_AGE, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        )
    return [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]


def _page_key(environ, channel, language: str) -> str:
    from marketplace.pagecache.versions import release

    parts = (release(), environ.get("wsgi.url_scheme", ""), environ.get("HTTP_X_FORWARDED_PROTO", ""),
             environ.get("HTTP_HOST", ""), environ.get("HTTP_X_FORWARDED_HOST", ""), environ.get("SERVER_NAME", ""),
             environ.get("SERVER_PORT", ""),
             environ.get("SCRIPT_NAME", ""), environ["PATH_INFO"], channel.code, language,
             _page_version(channel))
    return _PAGE_KEY.format(digest=hashlib.sha256("\n".join(parts).encode()).hexdigest())


def page(django_app, environ, start_response, *, code: str, language: str | None):
    """The sale (or festival) page for a visitor with nothing of their own, or None (Django as usual)."""
    if environ.get("QUERY_STRING") or not settings.PAGECACHE_ENABLED:
        return None
    found = _channel(code, language)
    if found is None:
        return None
    channel, language = found
    visitor = _visitor(environ, channel)
    if visitor is None:
        return None
    secret, channel_cookie = visitor
    key = _page_key(environ, channel, language)
    entry = cache.get(key)
    if entry is None:
        return _record(django_app, environ, start_response, key=key, secret=secret, code=channel.code)
    headers, text = list(entry["headers"]), entry["body"]
    has_form = _HOLE in text  # else Django sets no CSRF cookie either
    new_secret = csrf._get_new_csrf_string() if secret is None and has_form else None
    if new_secret or channel_cookie:
        headers += _new_cookies(channel, new_secret, channel_cookie)
    if has_form:
        text = text.replace(_HOLE, csrf._mask_cipher_secret(secret or new_secret))
    headers, body = _encoded(environ, headers, text.encode())
    start_response(entry["status"], headers)
    return [body]


def _encoded(environ, headers, body: bytes):
    """Compressed as Django's GZipMiddleware would (its Vary is in the headers), with its length."""
    headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
    if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and len(body) >= 200 and \
            not any(name.lower() == "content-encoding" for name, _value in headers):
        body = compress_string(body)
        headers.append(("Content-Encoding", "gzip"))
    return [*headers, ("Content-Length", str(len(body)))], body


def _record(django_app, environ, start_response, *, key: str, secret: str | None, code: str):
    """Django answers; its page is kept when it is the same for every such visitor but the token."""
    asked = environ
    environ = {**environ}
    environ.pop("HTTP_ACCEPT_ENCODING", None)  # kept uncompressed, compressed per answer
    answered = {}

    def capture(status_line, headers, exc_info=None):
        answered.update(status=status_line, headers=headers)
        return lambda data: None  # never used by Django's handler

    result = django_app(environ, capture)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    headers = answered["headers"]
    try:  # the visitor has their answer whatever happens here
        entry = _kept_entry(answered["status"], headers, body, secret, code) \
            if answered["status"].startswith("200 ") else None
        if entry is not None:
            cache.set(key, entry, settings.PAGECACHE_TIMEOUT)
    except Exception:
        logger.exception("Flash-sale page not kept for the fast path")
    headers, body = _encoded(asked, headers, body)
    start_response(answered["status"], headers)
    return [body]


def _kept_entry(status_line, headers, body: bytes, secret: str | None, code: str) -> dict | None:
    """What every visitor with nothing of their own can be given, but for their token and cookies."""
    for name, value in headers:
        lower = name.lower()
        if lower == "content-encoding" or "nonce-" in value:
            return None
        if lower == "set-cookie":
            cookie = SimpleCookie(value)
            if set(cookie) == {settings.CSRF_COOKIE_NAME}:
                value = cookie[settings.CSRF_COOKIE_NAME].value
                if secret is None and _is_secret(value):
                    secret = value  # a first visitor's new secret
                elif value != secret:
                    return None
            elif set(cookie) != {settings.CHANNEL_COOKIE_NAME} or cookie[settings.CHANNEL_COOKIE_NAME].value != code:
                return None  # a session, a basket, a message: this visitor's own
        if lower == "content-type" and not value.startswith("text/html"):
            return None
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    tokens = _TOKEN_INPUT.findall(text)
    if tokens and secret is None:
        return None
    for token in tokens:
        if csrf._unmask_cipher_token(token) != secret:
            return None
    text = _TOKEN_INPUT.sub(f'name="csrfmiddlewaretoken" value="{_HOLE}"', text)
    # The visitor's secret, masked or not, nowhere else in what every such visitor will get.
    if secret is not None and (secret in text or any(
            csrf._unmask_cipher_token(t) == secret for t in _TOKEN_LIKE.findall(text))):
        return None
    return {"status": status_line, "body": text,
            "headers": [(n, v) for n, v in headers if n.lower() not in _DROPPED]}

"""
The channel of the code running now, like Django's active language.

Set by the channel middleware for a storefront request and by tasks that work
for one channel; read by money formatting, which has no request at hand.
"""

from contextlib import contextmanager

from asgiref.local import Local

_active = Local()


def activate(channel) -> None:
    _active.value = channel


def deactivate() -> None:
    if hasattr(_active, "value"):
        del _active.value


def get_current_channel():
    return getattr(_active, "value", None)


@contextmanager
def override(channel):
    previous = get_current_channel()
    activate(channel)
    try:
        yield channel
    finally:
        if previous is None:
            deactivate()
        else:
            activate(previous)


@contextmanager
def storefront(channel, language: str | None = None):
    """Work as a request to ``channel`` would: its language, time zone, money format and URLs.

    For tasks and e-mails, which have no request: ``reverse()`` inside gives
    ``/<cc>/[<lang>/]…`` addresses, as in the shopper's own pages.
    """
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf, set_script_prefix, set_urlconf
    from django.utils import timezone, translation

    from .resolution import language_prefix

    language = language if language in channel.languages else channel.default_language
    previous_prefix, previous_urlconf = get_script_prefix(), get_urlconf()
    set_script_prefix(language_prefix(channel.code, language, channel.default_language))
    set_urlconf(settings.STOREFRONT_URLCONF)
    try:
        with translation.override(language), timezone.override(channel.tzinfo), override(channel):
            yield
    finally:
        set_script_prefix(previous_prefix)
        set_urlconf(previous_urlconf)

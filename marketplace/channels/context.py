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

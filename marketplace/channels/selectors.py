"""Reading channels. Active channels are cached: every storefront request needs one."""

from django.core.cache import cache

from .models import Channel

_CACHE_KEY = "channels:active:v1"
_CACHE_SECONDS = 300


def active_channels() -> list[Channel]:
    """Active channels in display order, with their tax rates loaded."""
    channels = cache.get(_CACHE_KEY)
    if channels is None:
        channels = list(Channel.objects.active().prefetch_related("tax_components"))
        for channel in channels:
            channel.tax_rates()  # load the rates before the objects are pickled
        cache.set(_CACHE_KEY, channels, _CACHE_SECONDS)
    return channels


def forget_cached_channels() -> None:
    cache.delete(_CACHE_KEY)

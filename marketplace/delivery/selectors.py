"""Reading delivery options and stations of a channel.

A checkout reads them on most of its steps (the address form's city suggestions, the
delivery methods, the totals of the payment, preview and order steps): four queries
each time. They change when an operator edits them, rarely, so they are kept in the
shared cache per channel and forgotten on every save or delete of an option, a station
or one of their translations (``receivers``), then again after that commit.
"""

from django.core.cache import cache

from .models import DeliveryOption, PickupStation

_CACHE_SECONDS = 300


def _cache_key(channel_pk) -> str:
    return f"delivery:data:v1:{channel_pk}"


def delivery_data(channel) -> tuple[list[DeliveryOption], list[PickupStation]]:
    """The channel's active options and stations, with their translations loaded."""
    key = _cache_key(channel.pk)
    data = cache.get(key)
    if data is None:
        data = (_options(channel), _stations(channel))
        cache.set(key, data, _CACHE_SECONDS)
    return data


def delivery_options_for(channel) -> list[DeliveryOption]:
    return delivery_data(channel)[0]


def pickup_stations_for(channel) -> list[PickupStation]:
    return delivery_data(channel)[1]


def forget_delivery_data(channel_pks) -> None:
    cache.delete_many([_cache_key(pk) for pk in channel_pks])


def _options(channel):
    return list(
        DeliveryOption.objects.filter(channel=channel, is_active=True).prefetch_related("translations")
    )


def _stations(channel):
    return list(
        PickupStation.objects.filter(channel=channel, is_active=True).prefetch_related("translations")
    )

"""Reading delivery options and stations of a channel."""

from .models import DeliveryOption, PickupStation


def delivery_options_for(channel):
    return list(
        DeliveryOption.objects.filter(channel=channel, is_active=True).prefetch_related("translations")
    )


def pickup_stations_for(channel):
    return list(
        PickupStation.objects.filter(channel=channel, is_active=True).prefetch_related("translations")
    )

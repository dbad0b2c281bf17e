"""A delivery option, station or translation saved or deleted: the cached ones are forgotten."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import (
    DeliveryOption,
    DeliveryOptionTranslation,
    PickupStation,
    PickupStationTranslation,
)
from .selectors import forget_delivery_data


@receiver([post_save, post_delete], sender=DeliveryOption)
@receiver([post_save, post_delete], sender=PickupStation)
@receiver([post_save, post_delete], sender=DeliveryOptionTranslation)
@receiver([post_save, post_delete], sender=PickupStationTranslation)
def delivery_changed(sender, instance, **kwargs):
    from marketplace.channels.models import Channel

    # Every channel's: a translation's option may be gone already (a cascade), and a
    # moved option leaves its old channel. After commit too, so that no request caches
    # the state from before the commit in between.
    channel_pks = list(Channel.objects.values_list("pk", flat=True))
    forget_delivery_data(channel_pks)
    transaction.on_commit(lambda: forget_delivery_data(channel_pks))

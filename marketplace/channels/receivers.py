from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.address.models import Country

from .models import Channel, TaxComponent
from .selectors import forget_cached_channels
from .shipping_country import ensure_shipping_country


@receiver([post_save, post_delete], sender=Channel)
@receiver([post_save, post_delete], sender=TaxComponent)
def channel_changed(**kwargs):
    # After commit too, so no request caches the state from before the commit.
    forget_cached_channels()
    transaction.on_commit(forget_cached_channels)


@receiver(post_save, sender=Channel)
def channel_country_ships(sender, instance, **kwargs):
    # A new country is data only: its addresses must be accepted at checkout.
    ensure_shipping_country(Country, str(instance.country))

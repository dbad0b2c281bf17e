"""A payment option saved or deleted: the cached ones are forgotten."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import PaymentOption
from .selectors import forget_payment_options


@receiver([post_save, post_delete], sender=PaymentOption)
def payment_option_changed(sender, instance, **kwargs):
    from marketplace.channels.models import Channel

    # Every channel's (an option moved leaves its old one); after commit too, so
    # that no request caches the state from before the commit in between.
    channel_pks = list(Channel.objects.values_list("pk", flat=True))
    forget_payment_options(channel_pks)
    transaction.on_commit(lambda: forget_payment_options(channel_pks))

from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .flatpages import forget_checkout_flatpages


@receiver([post_save, post_delete], sender=FlatPage)
@receiver(m2m_changed, sender=FlatPage.sites.through)
def flatpage_changed(**kwargs):
    # After commit too, so that no request caches the state from before the commit.
    forget_checkout_flatpages()
    transaction.on_commit(forget_checkout_flatpages)

"""Queue the renditions of a product image once its row is committed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductImage


@receiver(post_save, sender=ProductImage, dispatch_uid="thumbnails.renditions_on_save")
def queue_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.original:
        return
    from .tasks import make_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: make_renditions.delay(image_id))

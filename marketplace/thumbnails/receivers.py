"""Queue the renditions of a product image once its row is committed."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductImage

from .services import queue_renditions


@receiver(post_save, sender=ProductImage, dispatch_uid="thumbnails.renditions_on_save")
def renditions_on_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.original:
        return
    queue_renditions(instance.pk)

"""A hero banner's image is shown in WebP at the phone's size: its renditions, made on save."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from marketplace.thumbnails.services import queue_banner_renditions

from .models import HeroBanner


@receiver(post_save, sender=HeroBanner, dispatch_uid="stores.banner_renditions")
def banner_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.image:
        return
    queue_banner_renditions(instance.image.name)

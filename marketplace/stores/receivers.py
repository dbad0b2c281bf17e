"""A store's pictures are shown in WebP at the size the page shows them: their renditions,
made on save (a hero banner's, a store profile's logo and banner)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from marketplace.thumbnails.services import queue_banner_renditions, queue_picture_renditions

from .models import HeroBanner, StoreProfile


@receiver(post_save, sender=HeroBanner, dispatch_uid="stores.banner_renditions")
def banner_renditions(sender, instance, raw=False, **kwargs):
    if raw or not instance.image:
        return
    queue_banner_renditions(instance.image.name)


@receiver(post_save, sender=StoreProfile, dispatch_uid="stores.profile_renditions")
def profile_renditions(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.logo:
        queue_picture_renditions(instance.logo.name, "logo")
    if instance.banner:
        queue_picture_renditions(instance.banner.name, "store-banner")

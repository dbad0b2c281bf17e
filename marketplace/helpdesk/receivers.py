"""The help page shows the help desk's contacts and hours: their changes bump the channel's pages."""

from django.db.models.signals import post_delete, post_save

from marketplace.pagecache.versions import bump

from .models import HelpDesk, HelpDeskTranslation


def _desk_changed(sender, instance, **kwargs):
    bump(channel_ids=[instance.channel_id])


def _translation_changed(sender, instance, **kwargs):
    bump(channel_ids=HelpDesk.objects.filter(pk=instance.parent_id).values_list("channel_id", flat=True))


for signal in (post_save, post_delete):
    signal.connect(_desk_changed, sender=HelpDesk, dispatch_uid=f"helpdesk-desk-{signal}")
    signal.connect(_translation_changed, sender=HelpDeskTranslation, dispatch_uid=f"helpdesk-tr-{signal}")

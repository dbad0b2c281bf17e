"""Product pages show the plans covering a product, the centres page the centres: changes bump their channel's pages."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from marketplace.pagecache.versions import bump

from .models import ServiceCentre, ServiceCentreTranslation, WarrantyPlan, WarrantyPlanTranslation


def _plan_changed(sender, instance, **kwargs):
    bump(channel_ids=[instance.channel_id])


def _translation_changed(sender, instance, **kwargs):
    bump(channel_ids=WarrantyPlan.objects.filter(pk=instance.parent_id).values_list("channel_id", flat=True))


def _coverage_changed(sender, instance, reverse, pk_set, **kwargs):
    if reverse:  # from the product's or category's side: any plan's channel
        bump()
    else:
        bump(channel_ids=[instance.channel_id])


for signal in (post_save, post_delete):
    signal.connect(_plan_changed, sender=WarrantyPlan, dispatch_uid=f"aftersales-plan-{signal}")
    signal.connect(_translation_changed, sender=WarrantyPlanTranslation,
                   dispatch_uid=f"aftersales-plan-translation-{signal}")
for through in (WarrantyPlan.products.through, WarrantyPlan.categories.through):
    m2m_changed.connect(_coverage_changed, sender=through, dispatch_uid=f"aftersales-cover-{through}")


def _centre_translation_changed(sender, instance, **kwargs):
    bump(channel_ids=ServiceCentre.objects.filter(pk=instance.parent_id).values_list("channel_id", flat=True))


for signal in (post_save, post_delete):
    signal.connect(_plan_changed, sender=ServiceCentre, dispatch_uid=f"aftersales-centre-{signal}")
    signal.connect(_centre_translation_changed, sender=ServiceCentreTranslation,
                   dispatch_uid=f"aftersales-centre-translation-{signal}")
m2m_changed.connect(_coverage_changed, sender=ServiceCentre.brands.through, dispatch_uid="aftersales-centre-brands")

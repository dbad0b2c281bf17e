"""
Every saved or deleted row a storefront page shows bumps the page versions.

Models are named by label, so this app imports none of the apps it watches (no
import circle, and the receivers are all in one place). Writes that bypass
signals (``QuerySet.update()``: stock allocation, release, consumption in
``order.stock``) call ``versions.bump`` themselves.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .versions import bump, bump_basket

# Shown in every channel: a change renders every page afresh.
EVERY_CHANNEL = (
    "catalogue.Product",
    "catalogue.ProductClass",
    "catalogue.ProductCategory",
    "catalogue.Category",
    "catalogue.ProductImage",
    "catalogue.ProductAttributeValue",
    # The product page's basket form and variant labels.
    "catalogue.Option",
    "catalogue.ProductAttribute",
    "catalogue.AttributeOption",
    "localisation.ProductTranslation",
    "localisation.CategoryTranslation",
    "brands.Brand",
    "stores.ProductBrand",
    "stores.StoreProfile",
    "stores.StoreProfileTranslation",
    "stores.HeroBannerTranslation",
    "partner.Partner",
    # The country switcher and the hreflang alternates of every page list the channels.
    "channels.Channel",
    "flatpages.FlatPage",
    # Their texts have no channel of their own here; rare admin edits.
    "delivery.DeliveryOptionTranslation",
    "delivery.PickupStationTranslation",
    # A partner shop's hours (no channel of their own).
    "retail.OpeningHours",
)

# Shown in one channel, named by the row's ``channel`` foreign key.
ONE_CHANNEL = (
    "partner.StockRecord",
    "stores.FeaturedProduct",
    "stores.HeroBanner",
    "channels.TaxComponent",
    "delivery.DeliveryOption",
    "delivery.PickupStation",
    "payments.PaymentOption",
    # Partner shops' pages and the locator: the shops and their zones' statuses.
    "retail.Retailer",
    "retail.Zone",
)


def _every_channel(sender, **kwargs):
    bump()


def _one_channel(sender, instance, **kwargs):
    old = getattr(instance, "_pagecache_old_channel_id", None)
    bump(channel_ids=[instance.channel_id] + ([old] if old is not None else []))


def _remember_old_channel(sender, instance, update_fields=None, **kwargs):
    # A listing moved to another channel leaves the old one's pages too.
    if instance.pk is None or (update_fields is not None and "channel" not in update_fields):
        return
    instance._pagecache_old_channel_id = (
        sender._base_manager.filter(pk=instance.pk).values_list("channel_id", flat=True).first()
    )


def _suspension_changed(sender, instance, **kwargs):
    listing = sender._meta.get_field("listing").related_model
    bump(channel_ids=listing._base_manager.filter(pk=instance.listing_id).values_list("channel_id", flat=True))


def _rule_saved(sender, instance, **kwargs):
    bump(channel_ids=instance.channels.values_list("pk", flat=True))


def _rule_channels_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith(("post_", "pre_clear")) or action == "post_clear":
        return
    if reverse:
        bump(channel_ids=[instance.pk])  # a channel whose rules changed
    elif pk_set is None:
        bump(channel_ids=instance.channels.values_list("pk", flat=True))  # before a clear
    else:
        bump(channel_ids=pk_set)


def _basket_changed(sender, instance, **kwargs):
    bump_basket(instance.pk)


def _line_changed(sender, instance, **kwargs):
    # A line moved to another basket by a merge leaves a basket that is saved as merged
    # (no longer open, never shown again): its own save bumps it.
    bump_basket(instance.basket_id)


def _line_option_changed(sender, instance, **kwargs):
    line = instance._state.fields_cache.get("line")
    if line is not None:
        bump_basket(line.basket_id)
        return
    line_model = sender._meta.get_field("line").related_model
    for basket_id in line_model._base_manager.filter(pk=instance.line_id).values_list("basket_id", flat=True):
        bump_basket(basket_id)


def _basket_vouchers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Vouchers are off (``basket.offers``); were one added, the totals would change.
    if not action.startswith("post_"):
        return
    if not reverse:
        bump_basket(instance.pk)
    else:
        for basket_id in pk_set or ():
            bump_basket(basket_id)


def _m2m_every_channel(sender, action, **kwargs):
    if action.startswith("post_"):
        bump()


def connect() -> None:
    for label in EVERY_CHANNEL:
        for signal in (post_save, post_delete):
            signal.connect(_every_channel, sender=label, dispatch_uid=f"pagecache:{label}:{signal}")
    for label in ONE_CHANNEL:
        for signal in (post_save, post_delete):
            signal.connect(_one_channel, sender=label, dispatch_uid=f"pagecache:{label}:{signal}")
    pre_save.connect(_remember_old_channel, sender="partner.StockRecord", dispatch_uid="pagecache:listing-moved")
    for signal in (post_save, post_delete):
        signal.connect(_suspension_changed, sender="exclusives.ListingSuspension",
                       dispatch_uid=f"pagecache:suspension:{signal}")
    post_save.connect(_rule_saved, sender="exclusives.ExclusiveRule", dispatch_uid="pagecache:rule-saved")
    # Deleting a rule deletes its channel rows without an m2m signal: read them before.
    pre_delete.connect(_rule_saved, sender="exclusives.ExclusiveRule", dispatch_uid="pagecache:rule-deleted")

    # What the basket holes show of one basket: its own token (``holes``).
    for signal in (post_save, post_delete):
        signal.connect(_basket_changed, sender="basket.Basket", dispatch_uid=f"pagecache:basket:{signal}")
        signal.connect(_line_changed, sender="basket.Line", dispatch_uid=f"pagecache:line:{signal}")
        signal.connect(_line_option_changed, sender="basket.LineAttribute",
                       dispatch_uid=f"pagecache:line-option:{signal}")
    vouchers = apps.get_model("basket", "Basket").vouchers.through
    m2m_changed.connect(_basket_vouchers_changed, sender=vouchers, dispatch_uid="pagecache:basket-vouchers")

    rule = apps.get_model("exclusives", "ExclusiveRule")
    m2m_changed.connect(_rule_channels_changed, sender=rule.channels.through, dispatch_uid="pagecache:rule-channels")
    for model, field in (("catalogue.Product", "categories"), ("partner.Partner", "channels"),
                         ("flatpages.FlatPage", "sites"), ("catalogue.Product", "product_options"),
                         ("catalogue.ProductClass", "options"), ("retail.Retailer", "brands")):
        through = getattr(apps.get_model(model), field).through
        m2m_changed.connect(_m2m_every_channel, sender=through, dispatch_uid=f"pagecache:{model}.{field}")


connect()

"""Reading exclusive-listing rules: as plain ``rules.Rule`` data, or as SQL conditions."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import rules
from .models import ExclusiveRule


def _as_rule(rule: ExclusiveRule, channel_ids) -> rules.Rule:
    return rules.Rule(
        pk=rule.pk, product_id=rule.product_id, store_id=rule.store_id,
        channel_ids=frozenset(channel_ids), starts_at=rule.starts_at, ends_at=rule.ends_at,
        store_name=rule.store.display_name,
    )


def rules_in_force(*, channel, moment) -> list[rules.Rule]:
    """Every rule in force in ``channel`` at ``moment``: one query, whatever the catalogue."""
    found = ExclusiveRule.objects.in_force(moment).filter(channels=channel).select_related("store")
    return [_as_rule(rule, {channel.pk}) for rule in found]


def rules_not_ended(*, channel, moment) -> list[rules.Rule]:
    """Every rule of ``channel`` that has not ended at ``moment`` (started or not): what
    ``rules_in_force`` would find at ``moment`` or later, filtered by ``Rule.in_force``."""
    found = (
        ExclusiveRule.objects.filter(channels=channel)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        .select_related("store")
        .order_by("pk")
    )
    return [_as_rule(rule, {channel.pk}) for rule in found]


def rules_in_force_for(*, product, channel, moment) -> list[rules.Rule]:
    """Rules in force in ``channel`` on ``product`` or its family."""
    family = [product.pk] + ([product.parent_id] if product.parent_id else [])
    found = (
        ExclusiveRule.objects.in_force(moment)
        .filter(channels=channel, product__in=family)
        .select_related("store")
    )
    return [_as_rule(rule, {channel.pk}) for rule in found]


def excluding_rule_for(*, product, seller, channel, moment=None) -> rules.Rule | None:
    """The rule in force that stops ``seller`` selling ``product`` in ``channel``, if any."""
    moment = moment or timezone.now()
    listing = rules.Listing.of(product, seller_id=seller.pk, channel_id=channel.pk)
    return rules.excluding_rule(
        listing, rules_in_force_for(product=product, channel=channel, moment=moment), moment
    )


def excluded_listing(moment=None) -> Exists:
    """SQL condition on a listing queryset: another store holds an exclusive on it now.

    The same rule as ``rules.excluding_rule``, as a subquery of the listing
    query itself, so filtering listings costs no extra query.
    """
    moment = moment or timezone.now()
    return Exists(
        ExclusiveRule.objects.in_force(moment)
        .filter(channels=OuterRef("channel"))
        .filter(Q(product=OuterRef("product")) | Q(product=OuterRef("product__parent")))
        .exclude(store=OuterRef("partner"))
    )


def exclusive_product_ids(*, channel, store, moment=None):
    """Products (or families) ``store`` holds an exclusive on in ``channel`` now."""
    moment = moment or timezone.now()
    return (
        ExclusiveRule.objects.in_force(moment)
        .filter(channels=channel, store=store)
        .values("product_id")
    )

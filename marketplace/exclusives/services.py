"""
Writing exclusive-listing rules, and the follow-up work at their start and end.

Who may write: superusers, and country operators for channels they run (every
channel of the rule). Every create, change and end is recorded in the audit
trail with its actor and the values before and after.

Race with order placement (PostgreSQL, READ COMMITTED): ``order_place``
allocates stock with an UPDATE of each listing row (a row lock held until the
order commits) and *then* reads the rules in force. A rule write, inside its
transaction and after saving the rule, locks the listings it excludes
(``SELECT … FOR UPDATE`` in primary-key order, the order ``stock.allocate``
uses). So either the rule locks first, the order's UPDATE waits for the rule
to commit and its following read sees the rule (the order is refused); or the
order locks first, the rule waits for the order to commit, and the order was
placed before the rule existed. Either way no order for an excluded listing is
placed once the rule is committed. Rule writes of one product are serialised
by locking the product row, so two overlapping rules cannot both pass the
overlap check.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.catalogue.models import Product

from marketplace.backoffice import audit
from marketplace.backoffice.models import AuditEntry
from marketplace.localisation.catalogue import product_title
from marketplace.memberships.selectors import scope_for
from marketplace.partner.models import StockRecord

from . import rules, signals
from .models import ExclusiveRule, ListingSuspension
from .selectors import excluded_listing


@dataclass
class Saved:
    rule: ExclusiveRule
    warnings: list[str] = field(default_factory=list)


def _codes(channels) -> str:
    return ", ".join(sorted(c.code.upper() for c in channels))


def _values(rule: ExclusiveRule, channels) -> dict:
    return {
        "product": str(rule.product),
        "store": str(rule.store),
        "channels": _codes(channels),
        "starts_at": rule.starts_at.isoformat() if rule.starts_at else None,
        "ends_at": rule.ends_at.isoformat() if rule.ends_at else None,
        "reason": rule.reason,
    }


def _scope(rule, channels) -> dict:
    channels = list(channels)
    return {
        "brand_id": rule.store.brand_id,
        "seller_id": rule.store_id,
        # An entry has one channel: a single-channel rule's, else none (the
        # rule's own history page shows every entry of the rule).
        "channel_id": channels[0].pk if len(channels) == 1 else None,
    }


def validate_rule(*, rule_id, product, store, channels, starts_at, ends_at, actor) -> None:
    """Raise a ``ValidationError`` by field for a rule that cannot be saved as given."""
    errors: dict[str, list[str]] = {}
    channels = list(channels or [])
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The end must be after the start."))
    if product is not None and product.is_child:
        errors.setdefault("product", []).append(
            _("Choose the product family “%(family)s”, not one of its variants: "
              "an exclusive covers all of a family's variants.")
            % {"family": product_title(product.parent)}
        )
    if store is not None and not store.is_official_store:
        errors.setdefault("store", []).append(
            _("%(store)s is not an official store: only a brand's official store can hold "
              "an exclusive.") % {"store": store}
        )
    if not channels:
        errors.setdefault("channels", []).append(_("Choose at least one channel."))
    if actor is not None and not actor.is_superuser:
        own = scope_for(actor).channel_ids
        foreign = [c for c in channels if c.pk not in own]
        if foreign:
            errors.setdefault("channels", []).append(
                _("You do not run %(channels)s: only that country's operators can set its "
                  "exclusives.") % {"channels": _codes(foreign)}
            )
    if not errors and product is not None and store is not None and starts_at is not None:
        candidate = rules.Rule(
            pk=rule_id, product_id=product.pk, store_id=store.pk,
            channel_ids=frozenset(c.pk for c in channels), starts_at=starts_at, ends_at=ends_at,
        )
        others = (
            ExclusiveRule.objects.filter(product=product, channels__in=channels)
            .exclude(store=store).exclude(pk=rule_id).select_related("store")
            .prefetch_related("channels").distinct()
        )
        for other in others:
            plain = rules.Rule(
                pk=other.pk, product_id=other.product_id, store_id=other.store_id,
                channel_ids=frozenset(c.pk for c in other.channels.all()),
                starts_at=other.starts_at, ends_at=other.ends_at,
            )
            if rules.conflicts(candidate, [plain]):
                shared = [c for c in other.channels.all() if c.pk in candidate.channel_ids]
                errors.setdefault("__all__", []).append(
                    _("%(store)s already holds an exclusive on “%(product)s” in %(channels)s "
                      "at that time: rules of different stores cannot overlap.")
                    % {"store": other.store, "product": product_title(product),
                       "channels": _codes(shared)}
                )
                break
    if errors:
        raise ValidationError(errors)


def rule_warnings(rule: ExclusiveRule) -> list[str]:
    """Channels where the store has no listing of the product (the rule holds, nothing sells)."""
    family = Q(product=rule.product) | Q(product__parent=rule.product)
    listed = set(
        StockRecord.objects.filter(family, partner=rule.store).values_list("channel_id", flat=True)
    )
    missing = [c for c in rule.channels.all() if c.pk not in listed]
    if not missing:
        return []
    return [
        _("%(store)s has no listing of “%(product)s” in %(channels)s: nobody can sell it there "
          "while the rule is in force.")
        % {"store": rule.store, "product": product_title(rule.product), "channels": _codes(missing)}
    ]


def _lock_product(product) -> None:
    Product.objects.select_for_update().filter(pk=product.pk).exists()


def _lock_excluded_listings(rule: ExclusiveRule) -> None:
    """Lock the listings ``rule`` excludes, in primary-key order (see the module docstring)."""
    list(
        StockRecord.objects.filter(Q(product=rule.product) | Q(product__parent=rule.product))
        .filter(channel__in=rule.channels.all())
        .exclude(partner=rule.store)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )


def _follow_up_on_commit() -> None:
    transaction.on_commit(lambda: signals.rules_changed.send(sender=ExclusiveRule))


def rule_create(
    *, product, store, channels, starts_at, ends_at=None, reason: str = "", actor=None
) -> Saved:
    """Create a rule (validated, recorded); listings it excludes are suspended after commit."""
    channels = list(channels)
    with transaction.atomic():
        if product is not None:
            _lock_product(product)
        validate_rule(
            rule_id=None, product=product, store=store, channels=channels,
            starts_at=starts_at, ends_at=ends_at, actor=actor,
        )
        rule = ExclusiveRule.objects.create(
            product=product, store=store, starts_at=starts_at, ends_at=ends_at, reason=reason,
            created_by=actor if actor is not None and actor.pk else None,
        )
        rule.channels.set(channels)
        _lock_excluded_listings(rule)
        after = _values(rule, channels)
        audit.record(
            rule, AuditEntry.CREATED, {k: [None, v] for k, v in after.items()}, actor,
            scope=_scope(rule, channels),
        )
        _follow_up_on_commit()
    return Saved(rule, rule_warnings(rule))


def rule_update(
    *, rule: ExclusiveRule, product, store, channels, starts_at, ends_at, reason: str = "",
    actor=None,
) -> Saved:
    """Change a rule (validated, recorded with before and after)."""
    channels = list(channels)
    with transaction.atomic():
        current = ExclusiveRule.objects.select_for_update().select_related("product", "store").get(
            pk=rule.pk
        )
        for locked in {current.product_id: current.product, product.pk: product}.values():
            _lock_product(locked)
        before = _values(current, current.channels.all())
        validate_rule(
            rule_id=current.pk, product=product, store=store, channels=channels,
            starts_at=starts_at, ends_at=ends_at, actor=actor,
        )
        current.product, current.store = product, store
        current.starts_at, current.ends_at, current.reason = starts_at, ends_at, reason
        # A changed window is followed up afresh.
        current.start_processed_at = current.end_processed_at = None
        current.save()
        current.channels.set(channels)
        _lock_excluded_listings(current)
        after = _values(current, channels)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            audit.record(current, AuditEntry.CHANGED, changes, actor, scope=_scope(current, channels))
        _follow_up_on_commit()
    return Saved(current, rule_warnings(current))


def rule_end(*, rule: ExclusiveRule, actor=None, at=None) -> ExclusiveRule:
    """End a rule now (or at ``at``): its listings come back on sale after commit."""
    at = at or timezone.now()
    with transaction.atomic():
        current = ExclusiveRule.objects.select_for_update().select_related("store").get(pk=rule.pk)
        if current.ends_at is not None and current.ends_at <= at:
            raise ValidationError(_("This rule has already ended."))
        if at <= current.starts_at:
            raise ValidationError(
                _("This rule has not started yet: change its dates instead of ending it.")
            )
        channels = list(current.channels.all())
        if actor is not None and not actor.is_superuser:
            own = scope_for(actor).channel_ids
            if any(c.pk not in own for c in channels):
                raise ValidationError(_("Only the operators of all its countries can end this rule."))
        before = current.ends_at
        current.ends_at = at
        current.end_processed_at = None
        current.save(update_fields=["ends_at", "end_processed_at", "date_updated"])
        audit.record(
            current, AuditEntry.CHANGED,
            {"ends_at": [before.isoformat() if before else None, at.isoformat()]}, actor,
            scope=_scope(current, channels),
        )
        _follow_up_on_commit()
    return current


@dataclass(frozen=True)
class Synced:
    suspended: int
    restored: int
    started: list[int]
    ended: list[int]


def exclusives_sync(*, moment=None) -> Synced:
    """
    Bring listings in line with the rules in force at ``moment``; idempotent.

    Live listings another store's rule excludes are suspended (taken off sale,
    with a ``ListingSuspension`` saying why); suspended listings no rule
    excludes any more are put back on sale. Rules that started or ended since
    the last run are returned (once each) for their notices. Shoppers never
    wait for this: the storefront enforces the window itself.
    """
    moment = moment or timezone.now()
    suspended = restored = 0
    with transaction.atomic():
        excluded = (
            StockRecord.objects.filter(excluded_listing(moment)).order_by("pk")
            .select_for_update(of=("self",))
        )
        for listing in excluded.select_related("product", "partner", "channel"):
            rule = _excluding_rule_pk(listing, moment)
            suspension = ListingSuspension.objects.filter(listing=listing).first()
            if suspension is None and listing.is_live:
                ListingSuspension.objects.create(listing=listing, rule_id=rule)
                listing.is_live = False
                listing.save(update_fields=["is_live"])
                suspended += 1
            elif suspension is not None and suspension.rule_id != rule:
                suspension.rule_id = rule
                suspension.save(update_fields=["rule"])
        back = (
            ListingSuspension.objects.exclude(
                listing__in=StockRecord.objects.filter(excluded_listing(moment))
            ).select_related("listing__channel").order_by("listing_id")
        )
        for suspension in back:
            listing = suspension.listing
            listing.is_live = True
            listing.save(update_fields=["is_live"])
            suspension.delete()
            restored += 1

        started = _claim(
            ExclusiveRule.objects.filter(starts_at__lte=moment, start_processed_at__isnull=True)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment)),
            "start_processed_at", moment,
        )
        ended = _claim(
            ExclusiveRule.objects.filter(ends_at__lte=moment, end_processed_at__isnull=True),
            "end_processed_at", moment,
        )
        # Notices leave after commit, never from inside the transaction.
        for pk, event in [(pk, "started") for pk in started] + [(pk, "ended") for pk in ended]:
            transaction.on_commit(
                lambda pk=pk, event=event: signals.rule_event.send(
                    sender=ExclusiveRule, rule_id=pk, event=event
                )
            )
    return Synced(suspended, restored, started, ended)


def _excluding_rule_pk(listing, moment) -> int | None:
    rule = rules.excluding_rule(
        rules.Listing.from_stockrecord(listing),
        _rules_for_listing(listing, moment), moment,
    )
    return rule.pk if rule else None


def _rules_for_listing(listing, moment):
    from .selectors import rules_in_force_for

    return rules_in_force_for(product=listing.product, channel=listing.channel, moment=moment)


def _claim(queryset, column: str, moment) -> list[int]:
    """Mark rules as followed up; only the run that marks one returns it."""
    claimed = []
    for pk in queryset.values_list("pk", flat=True):
        if ExclusiveRule.objects.filter(pk=pk, **{f"{column}__isnull": True}).update(**{column: moment}):
            claimed.append(pk)
    return claimed

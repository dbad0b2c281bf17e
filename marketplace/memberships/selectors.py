"""Reading what a user's memberships grant."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Expression, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import roles
from .models import Membership

# Facts about what a membership reaches that the back office needs on every page (the
# app list's "Add" links): read in the memberships query itself, so they cost no query
# of their own. Apps register them in their ``ready`` (``reach_fact``); each is a boolean
# expression over the membership row (``OuterRef("brand_id")``…), true when that
# membership has the fact.
_FACTS: dict[str, Callable[[], Expression]] = {}


def reach_fact(name: str, expression: Callable[[], Expression]) -> None:
    """Read ``expression()`` with every user's memberships as ``UserScope.has(name)``."""
    _FACTS[name] = expression


@dataclass(frozen=True)
class UserScope:
    """The ids a user's memberships reach, per role; empty for someone with none."""

    brand_ids: frozenset[int] = field(default_factory=frozenset)
    seller_ids: frozenset[int] = field(default_factory=frozenset)
    channel_ids: frozenset[int] = field(default_factory=frozenset)
    agent_channel_ids: frozenset[int] = field(default_factory=frozenset)
    service_centre_ids: frozenset[int] = field(default_factory=frozenset)
    # The one channel every membership lies in (an operator of Kenya, a seller that
    # sells only in Nigeria), or None: the back office's dates follow its time zone.
    only_channel_id: int | None = None
    facts: frozenset[str] = field(default_factory=frozenset)

    def has(self, fact: str) -> bool:
        """Whether one of the memberships has ``fact`` (see ``reach_fact``)."""
        return fact in self.facts

    def ids(self, role: str) -> frozenset[int]:
        return {
            roles.BRAND: self.brand_ids,
            roles.SELLER: self.seller_ids,
            roles.CHANNEL: self.channel_ids,
            roles.AGENT: self.agent_channel_ids,
            roles.SERVICE_CENTRE: self.service_centre_ids,
        }[role]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role in roles.ROLES if self.ids(role))


def scope_for(user) -> UserScope:
    """What ``user``'s memberships grant (nothing for anonymous or inactive users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return UserScope()
    names = sorted(_FACTS)
    rows = (
        Membership.objects.filter(user=user)
        .annotate(**_channel_bounds(), **{f"fact_{name}": _FACTS[name]() for name in names})
        .values_list(
            "brand_id", "seller_id", "channel_id", "kind", "service_centre_id",
            "lowest_channel", "highest_channel", *(f"fact_{name}" for name in names),
        )
    )
    brands, sellers, channels, agents, centres = set(), set(), set(), set(), set()
    reached, facts = set(), set()
    for brand_id, seller_id, channel_id, kind, centre_id, lowest, highest, *flags in rows:
        reached.update((lowest, highest))
        facts.update(name for name, flag in zip(names, flags, strict=True) if flag)
        if centre_id:
            centres.add(centre_id)
        if brand_id:
            brands.add(brand_id)
        if seller_id:
            sellers.add(seller_id)
        if channel_id:
            (agents if kind == Membership.AGENT else channels).add(channel_id)
    only = next(iter(reached)) if len(reached) == 1 else None  # None also when one has none
    return UserScope(frozenset(brands), frozenset(sellers), frozenset(channels), frozenset(agents),
                     frozenset(centres), only_channel_id=only, facts=frozenset(facts))


def _channel_bounds() -> dict:
    """The lowest and highest channel id each membership reaches (equal: one channel).

    A channel's operators and agents: that channel; a service centre's staff: the
    centre's; a seller: the channels it sells in; a brand: those its stores sell in.
    """
    sells_in = Membership._meta.get_field("seller").related_model.channels.through.objects

    def bound(order, **match):
        return Subquery(sells_in.filter(**match).order_by(order).values("channel_id")[:1])

    def reached(order):
        return Coalesce(
            "channel_id", "service_centre__channel_id",
            bound(order, partner_id=OuterRef("seller_id")),
            bound(order, partner__brand_id=OuterRef("brand_id")),
            output_field=IntegerField(),
        )

    return {"lowest_channel": reached("channel_id"), "highest_channel": reached("-channel_id")}


def request_scope(request) -> UserScope:
    """``scope_for(request.user)``, read once per request."""
    cached = getattr(request, "_membership_scope", None)
    if cached is None:
        cached = scope_for(getattr(request, "user", None))
        request._membership_scope = cached
    return cached

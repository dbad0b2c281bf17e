"""Reading what a user's memberships grant."""

from dataclasses import dataclass, field

from . import roles
from .models import Membership


@dataclass(frozen=True)
class UserScope:
    """The ids a user's memberships reach, per role; empty for someone with none."""

    brand_ids: frozenset[int] = field(default_factory=frozenset)
    seller_ids: frozenset[int] = field(default_factory=frozenset)
    channel_ids: frozenset[int] = field(default_factory=frozenset)
    agent_channel_ids: frozenset[int] = field(default_factory=frozenset)
    service_centre_ids: frozenset[int] = field(default_factory=frozenset)

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
    rows = Membership.objects.filter(user=user).values_list(
        "brand_id", "seller_id", "channel_id", "kind", "service_centre_id"
    )
    brands, sellers, channels, agents, centres = set(), set(), set(), set(), set()
    for brand_id, seller_id, channel_id, kind, centre_id in rows:
        if centre_id:
            centres.add(centre_id)
        if brand_id:
            brands.add(brand_id)
        if seller_id:
            sellers.add(seller_id)
        if channel_id:
            (agents if kind == Membership.AGENT else channels).add(channel_id)
    return UserScope(frozenset(brands), frozenset(sellers), frozenset(channels), frozenset(agents),
                     frozenset(centres))


def request_scope(request) -> UserScope:
    """``scope_for(request.user)``, read once per request."""
    cached = getattr(request, "_membership_scope", None)
    if cached is None:
        cached = scope_for(getattr(request, "user", None))
        request._membership_scope = cached
    return cached

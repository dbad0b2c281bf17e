"""
Exclusivity as pure functions over plain data: no database, no clock.

A rule covers a listing when the listing's channel is one of the rule's, its
product is the rule's product or a variant of it (so variants added later are
covered too), and the moment lies in ``[starts_at, ends_at)`` (an open end
never ends). A covered listing is *excluded* unless its seller is the rule's
store.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pk: int | None
    product_id: int
    store_id: int
    channel_ids: frozenset[int]
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    store_name: str = ""

    def in_force(self, moment: dt.datetime) -> bool:
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)

    def covers(self, *, product_id: int, parent_id: int | None, channel_id: int) -> bool:
        return channel_id in self.channel_ids and self.product_id in (product_id, parent_id)


@dataclass(frozen=True)
class Listing:
    """Who offers what where: a listing (or one proposed), as the rules see it."""

    product_id: int
    parent_id: int | None
    seller_id: int
    channel_id: int

    @classmethod
    def of(cls, product, *, seller_id: int, channel_id: int) -> "Listing":
        """``product`` (a variant brings its family's id) offered by a seller in a channel."""
        return cls(
            product_id=product.pk, parent_id=product.parent_id,
            seller_id=seller_id, channel_id=channel_id,
        )

    @classmethod
    def from_stockrecord(cls, stockrecord, product=None) -> "Listing":
        """A stock record; pass ``product`` when it is at hand (saves loading it)."""
        return cls.of(
            product or stockrecord.product,
            seller_id=stockrecord.partner_id, channel_id=stockrecord.channel_id,
        )


def governing_rule(
    *, product_id: int, parent_id: int | None, channel_id: int, rules: Iterable[Rule],
    moment: dt.datetime,
) -> Rule | None:
    """The rule in force that makes the product exclusive in the channel, if any."""
    for rule in rules:
        if rule.in_force(moment) and rule.covers(
            product_id=product_id, parent_id=parent_id, channel_id=channel_id
        ):
            return rule
    return None


def excluding_rule(listing: Listing, rules: Iterable[Rule], moment: dt.datetime) -> Rule | None:
    """The rule in force that keeps ``listing`` off sale, if any."""
    rule = governing_rule(
        product_id=listing.product_id, parent_id=listing.parent_id,
        channel_id=listing.channel_id, rules=rules, moment=moment,
    )
    return rule if rule is not None and rule.store_id != listing.seller_id else None


def windows_overlap(
    a_start: dt.datetime, a_end: dt.datetime | None, b_start: dt.datetime, b_end: dt.datetime | None
) -> bool:
    """Half-open windows ``[start, end)`` share a moment (``None`` is no end)."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def conflicts(candidate: Rule, others: Iterable[Rule]) -> list[Rule]:
    """Rules another store holds on the same product in a shared channel at a shared time."""
    return [
        other for other in others
        if other.pk != candidate.pk
        and other.product_id == candidate.product_id
        and other.store_id != candidate.store_id
        and other.channel_ids & candidate.channel_ids
        and windows_overlap(candidate.starts_at, candidate.ends_at, other.starts_at, other.ends_at)
    ]

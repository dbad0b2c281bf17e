"""A phone family sold in NG by its brand's official store and by a third-party seller."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.exclusives.models import ExclusiveRule
from tests import factories
from tests.backoffice.conftest import as_role, world  # noqa: F401  (the back-office world, for admin tests)


@dataclass
class Family:
    parent: object
    variant: object
    other_variant: object
    official_listing: object
    other_listing: object


@pytest.fixture
def family(official_store, third_party_seller, channel_ngn, phones):
    parent = factories.product("Redmi Go", category=phones, structure="parent")
    variant = factories.product("Redmi Go 1GB+8GB", parent=parent)
    other_variant = factories.product("Redmi Go 1GB+16GB", parent=parent)
    return Family(
        parent=parent, variant=variant, other_variant=other_variant,
        official_listing=factories.listing(variant, official_store, channel_ngn, "60000.00"),
        other_listing=factories.listing(variant, third_party_seller, channel_ngn, "55000.00"),
    )


def make_rule(product, store, channels, *, starts=None, ends=None):
    """A rule written directly (the services are tested on their own)."""
    rule = ExclusiveRule.objects.create(
        product=product, store=store, starts_at=starts or timezone.now() - timedelta(days=1),
        ends_at=ends,
    )
    rule.channels.set(channels)
    return rule


@pytest.fixture
def exclusive(family, official_store, channel_ngn):
    """The family is the official store's alone in NG, since yesterday, with no end."""
    return make_rule(family.parent, official_store, [channel_ngn])

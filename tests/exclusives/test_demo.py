"""seed_demo's exclusives: Redmi Go is Mi Official Store's alone everywhere; one rule to come."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.exclusives.models import ExclusiveRule, ListingSuspension
from marketplace.partner.models import StockRecord

pytestmark = pytest.mark.django_db


def rules():
    return sorted(
        (r.product.upc, r.store.slug, sorted(c.code for c in r.channels.all()), r.starts_at, r.ends_at)
        for r in ExclusiveRule.objects.select_related("product", "store").prefetch_related("channels")
    )


def test_the_demo_rules_and_the_suspended_listing_idempotently(client, launch_channels):
    call_command("seed_demo", verbosity=0)
    first = rules()
    call_command("seed_demo", verbosity=0)

    assert rules() == first
    redmi_go = ExclusiveRule.objects.get(product__upc="XM-REDMIGO")
    assert redmi_go.channels.count() == 6 and redmi_go.ends_at is None
    assert redmi_go.starts_at < timezone.now()
    assert ExclusiveRule.objects.filter(starts_at__gt=timezone.now()).count() == 1
    lagos = StockRecord.objects.get(partner__slug="lagos-gadgets-hub", product__parent__upc="XM-REDMIGO")
    assert not lagos.is_live and ListingSuspension.objects.get().listing == lagos

    page = client.get(f"/ng/catalogue/{redmi_go.product.slug}_{redmi_go.product.pk}/").content.decode()
    assert "Exclusive on Mi Official Store" in page and "Lagos Gadgets Hub" not in page

"""Rule services (validation, history), listing refusal, and the follow-up task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from marketplace.backoffice.models import AuditEntry
from marketplace.exclusives import services
from marketplace.exclusives.models import ExclusiveRule, ListingSuspension
from marketplace.memberships.services import membership_grant
from marketplace.stores.listings import validate_listing
from tests import factories
from tests.backoffice.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(channel_ngn):
    user = make_user("ng.operator")
    membership_grant(user=user, channel=channel_ngn)
    return user


def create(family, store, channels, actor, **kwargs):
    values = {"starts_at": timezone.now() - timedelta(hours=1), "ends_at": None, **kwargs}
    return services.rule_create(product=family.parent, store=store, channels=channels, actor=actor, **values)


def test_an_operator_creates_a_rule_for_its_channel_and_history_records_it(family, official_store, channel_ngn, operator):
    saved = create(family, official_store, [channel_ngn], operator, reason="AGR-1")

    entry = AuditEntry.objects.get(object_id=str(saved.rule.pk), content_type__model="exclusiverule")
    assert (entry.action, entry.actor, entry.changes["channels"]) == ("created", operator, [None, "NG"])
    assert entry.changes["reason"] == [None, "AGR-1"]


@pytest.mark.parametrize("bad, field, message", [
    ("ends_before_start", "ends_at", "The end must be after the start."),
    ("foreign_channel", "channels", "You do not run KE"),
    ("not_official", "store", "is not an official store"),
    ("variant", "product", "Choose the product family"),
])
def test_bad_rules_are_refused_with_a_message_and_nothing_saved(
    family, official_store, third_party_seller, channel_ngn, channel_kes, operator, bad, field, message
):
    now = timezone.now()
    values = {"product": family.parent, "store": official_store, "channels": [channel_ngn],
              "starts_at": now, "ends_at": None, "actor": operator}
    if bad == "ends_before_start":
        values["ends_at"] = now - timedelta(seconds=1)
    elif bad == "foreign_channel":
        values["channels"] = [channel_ngn, channel_kes]
    elif bad == "not_official":
        values["store"] = third_party_seller
    elif bad == "variant":
        values["product"] = family.variant

    with pytest.raises(ValidationError) as refused:
        services.rule_create(**values)

    assert message in " ".join(refused.value.message_dict[field])
    assert not ExclusiveRule.objects.exists()
    assert not AuditEntry.objects.exists()


def test_overlapping_rules_of_another_store_are_refused(family, official_store, channel_ngn, operator):
    create(family, official_store, [channel_ngn], operator, ends_at=timezone.now() + timedelta(days=10))
    tecno = factories.official_store("Tecno", channels=[channel_ngn])

    with pytest.raises(ValidationError) as refused:
        create(family, tecno, [channel_ngn], operator, starts_at=timezone.now() + timedelta(days=9))

    assert "already holds an exclusive" in " ".join(refused.value.messages)
    assert ExclusiveRule.objects.count() == 1
    # Right after the first one ends is fine.
    create(family, tecno, [channel_ngn], operator, starts_at=timezone.now() + timedelta(days=11))


def test_a_store_without_a_listing_in_a_channel_gets_a_warning(family, official_store, channel_ngn, channel_kes):
    admin = make_user("root", superuser=True)

    saved = create(family, official_store, [channel_ngn, channel_kes], admin)

    assert len(saved.warnings) == 1 and "KE" in saved.warnings[0]


def test_a_new_listing_of_another_seller_is_refused_naming_the_store_and_the_end(family, official_store, channel_ngn, third_party_seller):
    ends = timezone.now() + timedelta(days=3)
    services.rule_create(product=family.parent, store=official_store, channels=[channel_ngn],
                         starts_at=timezone.now() - timedelta(hours=1), ends_at=ends, actor=None)

    with override("en"), pytest.raises(ValidationError) as refused:
        validate_listing(product=family.other_variant, seller=third_party_seller, channel=channel_ngn,
                         price=None, num_in_stock=1)

    message = " ".join(refused.value.messages)
    assert "sold only by Xiaomi Official Store in Nigeria until" in message
    local_end = ends.astimezone(channel_ngn.tzinfo)
    assert str(local_end.year) in message and "Africa/Lagos" in message
    # The exclusive store itself lists freely.
    validate_listing(product=family.other_variant, seller=official_store, channel=channel_ngn,
                     price=None, num_in_stock=1)


def test_the_task_suspends_at_the_start_restores_at_the_end_and_notifies(
    family, official_store, channel_ngn, operator, django_capture_on_commit_callbacks
):
    own_off_sale = factories.listing(family.other_variant, family.other_listing.partner, channel_ngn, "1", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        saved = create(family, official_store, [channel_ngn], operator,
                       ends_at=timezone.now() + timedelta(hours=1))

    family.other_listing.refresh_from_db()
    assert not family.other_listing.is_live
    assert ListingSuspension.objects.get().listing == family.other_listing
    assert not ListingSuspension.objects.filter(listing=own_off_sale).exists()
    assert any("Exclusive started" in m.subject for m in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.exclusives_sync(moment=timezone.now() + timedelta(hours=2))

    assert (result.restored, result.ended) == (1, [saved.rule.pk])
    family.other_listing.refresh_from_db()
    own_off_sale.refresh_from_db()
    assert family.other_listing.is_live and not own_off_sale.is_live
    assert not ListingSuspension.objects.exists()
    assert [m.to for m in mail.outbox if "Exclusive ended" in m.subject] == [["ng.operator@example.com"]]


def test_the_task_is_idempotent(family, exclusive):
    services.exclusives_sync()
    again = services.exclusives_sync()

    assert (again.suspended, again.restored, again.started) == (0, 0, [])
    assert ListingSuspension.objects.count() == 1


def test_ending_a_rule_records_before_and_after(family, exclusive, operator):
    services.rule_end(rule=exclusive, actor=operator)

    entry = AuditEntry.objects.get(object_id=str(exclusive.pk))
    assert entry.changes["ends_at"][0] is None and entry.changes["ends_at"][1]
    with pytest.raises(ValidationError):
        services.rule_end(rule=exclusive, actor=operator)

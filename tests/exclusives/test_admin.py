"""The back office: rules scoped to operators' channels, refusals with messages, history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.exclusives.models import ExclusiveRule
from marketplace.partner.models import StockRecord

pytestmark = pytest.mark.django_db

RULES = "/admin/exclusives/exclusiverule/"


def rule_post(product, store, channels, *, starts="2026-01-01 00:00:00", ends=""):
    return {
        "product": product.pk, "store": store.pk, "channels": [c.pk for c in channels],
        "starts_at_0": starts.split(" ")[0], "starts_at_1": starts.split(" ")[1] if " " in starts else "",
        "ends_at_0": ends.split(" ")[0] if ends else "", "ends_at_1": ends.split(" ")[1] if ends else "",
        "reason": "AGR-7",
        "suspensions-TOTAL_FORMS": 0, "suspensions-INITIAL_FORMS": 0,
        "suspensions-MIN_NUM_FORMS": 0, "suspensions-MAX_NUM_FORMS": 1000,
    }


def test_an_operator_creates_a_rule_and_the_history_page_shows_it(
    world, as_role, django_capture_on_commit_callbacks
):
    client = as_role("channel")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RULES + "add/", rule_post(world.redmi, world.mi, [world.ng]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = ExclusiveRule.objects.get(product=world.redmi)
    history = client.get(f"{RULES}{rule.pk}/history/").content.decode()
    assert "ng.operator" in history and "AGR-7" in history
    # Lagos Gadgets Hub's Redmi A3 listing in NG is suspended by the follow-up task.
    assert not StockRecord.objects.get(pk=world.lagos_ng.pk).is_live


@pytest.mark.parametrize("case, expected", [
    ("ends_before_start", "The end must be after the start."),
    ("foreign_channel", "Select a valid choice."),
    ("not_official", "is not an official store"),
    ("malformed", "Enter a valid date"),
    ("overlap", "already holds an exclusive"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(world, as_role, case, expected):
    before = ExclusiveRule.objects.count()
    post = rule_post(world.redmi, world.mi, [world.ng])
    if case == "ends_before_start":
        post.update(ends_at_0="2025-12-31", ends_at_1="23:59:59")
    elif case == "foreign_channel":
        post["channels"] = [world.ng.pk, world.eg.pk]
    elif case == "not_official":
        post["store"] = world.lagos.pk
    elif case == "malformed":
        post.update(starts_at_0="2026-02-31", starts_at_1="25:61")
    elif case == "overlap":
        post = rule_post(world.redmi_go, world.tecno, [world.ng])

    response = as_role("channel").post(RULES + "add/", post)

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert ExclusiveRule.objects.count() == before


def test_an_operator_cannot_change_a_rule_covering_a_country_it_does_not_run(world, as_role):
    world.rule_ng.channels.add(world.eg)

    response = as_role("channel").get(f"{RULES}{world.rule_ng.pk}/change/")

    assert response.status_code == 200 and not response.context_data["has_change_permission"]


def test_a_new_listing_of_another_seller_is_refused_in_the_admin(world, as_role):
    note_variant_ng = {
        "product": world.note_variant.pk, "partner": world.lagos.pk, "channel": world.ng.pk,
        "partner_sku": "LGH-NOTE", "price": "290000.00", "num_in_stock": 3, "is_live": "on",
    }
    world.rule_ng.product = world.note
    world.rule_ng.save()

    response = as_role("seller").post("/admin/partner/stockrecord/add/", note_variant_ng)

    assert response.status_code == 200
    assert "is sold only by Xiaomi Official Store in Nigeria, with no end date." in response.content.decode()
    assert not StockRecord.objects.filter(partner=world.lagos, product=world.note_variant).exists()


def test_the_end_now_action_ends_the_rule(world, as_role):
    response = as_role("superuser").post(
        RULES, {"action": "end_now", "_selected_action": [world.rule_ng.pk]}
    )

    assert response.status_code == 302
    world.rule_ng.refresh_from_db()
    assert world.rule_ng.ends_at <= timezone.now() + timedelta(seconds=1)

"""seed_demo's after-sales: plans and help desks in every channel, agents who can sign in; twice is once."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from marketplace.aftersales.models import WarrantyPlan, WarrantyPlanTranslation
from marketplace.helpdesk.models import HelpDesk
from marketplace.memberships.selectors import scope_for

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(WarrantyPlan.objects.values_list("channel__country", "brand__slug", "name", "months", "amount"),
               key=str),
        sorted(WarrantyPlanTranslation.objects.values_list("parent__name", "language", "name")),
        sorted(HelpDesk.objects.values_list("channel__country", "phone", "opens_at", "closes_at")),
    )


def test_the_demo_has_plans_help_desks_and_agents(launch_channels):
    call_command("seed_demo", "--password", "s3cret-demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", "--password", "s3cret-demo", verbosity=0)

    assert snapshot() == first
    assert {country for country, *_rest in first[0]} == {"NG", "EG", "KE", "CI", "MA", "GH"}
    assert ("Mi Care+ 1 year", "fr", "Mi Care+ 1 an") in first[1]
    assert len(first[2]) == 6
    agent = authenticate(username="ke.agent", password="s3cret-demo")
    assert agent is not None
    assert scope_for(agent).ids("agent") == {launch_channels["ke"].pk} and not scope_for(agent).ids("channel")

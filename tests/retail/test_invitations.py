"""Onboarding a partner retailer by e-mail invitation (issue 12, item 7): a signed, expiring,
single-use link; the retailer sets a password and gets a membership scoped to its shop; the
operator invites only in their own countries."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from marketplace.memberships.models import Membership
from marketplace.memberships.services import membership_grant
from marketplace.retail import invitations
from marketplace.retail.models import Retailer, RetailerInvitation

pytestmark = pytest.mark.django_db

FORM = {"name": "Surulere Phones", "address": "4 Adeniran Ogunsanya St", "city": "Lagos",
        "district": "Surulere", "phone": "0803 765 4321", "password1": "a-long-Passphrase-9",
        "password2": "a-long-Passphrase-9"}


@pytest.fixture
def operator(channel_ngn):
    user = get_user_model().objects.create_user("ng.operator", password="pw-ng-operator-1", is_staff=True)
    membership_grant(user=user, channel=channel_ngn)
    client = Client()
    client.force_login(user)
    return client


def link_in(mail) -> str:
    return re.search(r"https?://[^/]+(/\S+)", mail.body).group(1)


def test_an_operator_invites_and_the_retailer_opens_its_shop(
    operator, channel_ngn, channel_egp, mailoutbox, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post("/admin/retail/retailerinvitation/add/", {
            "channel": channel_ngn.pk, "email": "shop@example.com", "shop_name": "Surulere Phones"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["shop@example.com"]
    path = link_in(mail)
    assert path.startswith("/ng/retail/join/")

    shopper = Client()
    page = shopper.get(path)
    assert page.status_code == 200 and "Surulere Phones" in page.content.decode()
    assert shopper.get(path.replace("/ng/", "/eg/")).status_code == 404  # another channel's link
    assert shopper.post(path, FORM).status_code == 302

    user = get_user_model().objects.get(username="shop@example.com")
    retailer = Retailer.objects.get(name="Surulere Phones")
    assert retailer.channel == channel_ngn and retailer.phone == "+2348037654321"
    [membership] = Membership.objects.filter(user=user)
    assert membership.seller == retailer.partner and user.is_staff and user.check_password(FORM["password1"])
    # The retailer lands in the back office, seeing its own shop only.
    listed = shopper.get("/admin/retail/retailer/")
    assert list(listed.context_data["cl"].queryset) == [retailer]
    # Single use: the link is spent.
    again = Client().post(path, {**FORM, "name": "Another"})
    assert again.status_code == 410 and Retailer.objects.count() == 1


def test_an_operator_cannot_invite_into_another_country_nor_see_its_invitations(
    operator, channel_egp, mailoutbox,
):
    response = operator.post("/admin/retail/retailerinvitation/add/", {
        "channel": channel_egp.pk, "email": "cairo@example.com"})
    assert response.status_code == 200 and "channel" in response.context_data["adminform"].form.errors
    assert not RetailerInvitation.objects.exists() and not mailoutbox
    foreign = invitations.invitation_create(channel=channel_egp, email="cairo@example.com")
    assert operator.get(f"/admin/retail/retailerinvitation/{foreign.pk}/change/").status_code in (302, 404)
    assert foreign.pk not in {i.pk for i in operator.get(
        "/admin/retail/retailerinvitation/").context_data["cl"].queryset}


@pytest.mark.parametrize("tamper", ["garbage", "other-nonce", "flipped", "huge", "nul"])
def test_a_forged_link_is_a_404(channel_ngn, tamper):
    invitation = invitations.invitation_create(channel=channel_ngn, email="shop@example.com")
    token = invitations.token_for(invitation)
    if tamper == "garbage":
        token = "not-a-token"
    elif tamper == "other-nonce":
        invitation.nonce = "guessed"
        token = invitations.token_for(invitation)
    elif tamper == "flipped":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif tamper == "huge":
        token = "x" * 5000
    elif tamper == "nul":
        token = token + "%00"
    client = Client()
    refused = (400, 404) if tamper == "nul" else (404,)  # NUL in a URL: refused before the view
    assert client.get(f"/ng/retail/join/{token}/").status_code in refused
    assert client.post(f"/ng/retail/join/{token}/", FORM).status_code in refused
    assert not Retailer.objects.exists()


def test_an_expired_link_is_refused(channel_ngn):
    invitation = invitations.invitation_create(channel=channel_ngn, email="shop@example.com")
    RetailerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().post(f"/ng/retail/join/{invitations.token_for(invitation)}/", FORM)
    assert response.status_code == 410 and not Retailer.objects.exists()


@pytest.mark.parametrize("changes", [
    {"password2": "something-else-7"}, {"password1": "123", "password2": "123"},
    {"city": "Atlantis"}, {"phone": "NaN"}, {"phone": "+254712345678"}, {"name": "Shop\x00"},
    {"name": "x" * 5000}, {"name": ""},
])
def test_bad_input_is_a_clear_400_and_writes_nothing(channel_ngn, changes):
    invitation = invitations.invitation_create(channel=channel_ngn, email="shop@example.com")
    response = Client().post(f"/ng/retail/join/{invitations.token_for(invitation)}/", {**FORM, **changes})
    assert response.status_code == 400
    assert not Retailer.objects.exists() and not get_user_model().objects.filter(username="shop@example.com").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_account_is_not_taken_over(channel_ngn):
    get_user_model().objects.create_user("shop@example.com", password="theirs-123-x")
    invitation = invitations.invitation_create(channel=channel_ngn, email="shop@example.com")
    response = Client().post(f"/ng/retail/join/{invitations.token_for(invitation)}/", FORM)
    assert response.status_code == 409 and not Retailer.objects.exists()
    assert get_user_model().objects.get(username="shop@example.com").check_password("theirs-123-x")

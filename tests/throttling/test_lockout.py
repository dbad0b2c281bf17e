"""
Sign-in lockouts (django-axes) on the admin and the storefront.

The per-address rate limits on signing in are switched off here, so that what
refuses the right password is the lockout and nothing else.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _lockouts_only(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": None, "admin-login": None}


@pytest.fixture
def boss(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)


@pytest.fixture
def shopper(db):
    return get_user_model().objects.create_user("shopper-7f3a", "shopper@example.com", PASSWORD)


def admin_login(client, password, username="boss"):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


def storefront_login(client, password, email="shopper@example.com", code="ng"):
    return client.post(
        f"/{code}/accounts/login/",
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_admin_passwords_then_the_right_one_is_refused(client, boss, settings):
    answers = [admin_login(client, f"guess-{n}").status_code for n in range(30)]
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT - 1:]) == {429}

    right = admin_login(client, PASSWORD)
    assert right.status_code == 429
    assert right["Retry-After"] == str(15 * 60)
    assert "Too many failed sign-in attempts" in right.content.decode()
    assert not signed_in(client)


def test_a_guesser_cannot_lock_the_owner_out_from_another_address(client, boss):
    for n in range(10):
        admin_login(client, f"guess-{n}")
    owner = Client(REMOTE_ADDR="10.20.30.40")
    assert admin_login(owner, PASSWORD).status_code == 302
    assert signed_in(owner)


def test_the_lockout_ends_after_the_cool_off(client, boss, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, f"guess-{n}")
    assert admin_login(client, PASSWORD).status_code == 429
    # Axes dates failures by the database's clock: age them past the cool-off.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert admin_login(client, PASSWORD).status_code == 302


def test_thirty_wrong_storefront_passwords_then_the_right_one_is_refused_in_french(client, shopper, launch_channels):
    answers = [storefront_login(client, f"guess-{n}", code="ci").status_code for n in range(30)]
    assert answers[-1] == 429
    right = storefront_login(client, PASSWORD, code="ci")
    assert right.status_code == 429
    assert right["Retry-After"] == str(15 * 60)
    page = right.content.decode()
    assert 'lang="fr-CI"' in page
    assert "Trop de tentatives de connexion" in page
    assert not signed_in(client)


def test_each_spelling_of_an_email_shares_one_count(client, shopper, launch_channels, settings):
    spellings = ["Shopper@Example.com", "SHOPPER@example.com", " shopper@EXAMPLE.com"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        storefront_login(client, f"guess-{n}", email=spellings[n % len(spellings)])
    assert storefront_login(client, PASSWORD).status_code == 429


def test_signing_in_clears_the_failures_counted_under_the_email(client, shopper, launch_channels, settings):
    for _ in range(2):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            assert storefront_login(client, f"guess-{n}").status_code == 200
        assert storefront_login(client, PASSWORD).status_code == 302
        client.logout()


def test_a_new_customer_registers_and_is_signed_in(client, launch_channels):
    # Oscar signs the new customer in with authenticate() and no request.
    answer = client.post("/ng/accounts/login/", {
        "registration-email": "new@example.com", "registration-password1": PASSWORD,
        "registration-password2": PASSWORD, "registration_submit": "1",
    })
    assert answer.status_code == 302
    assert signed_in(client)
    assert get_user_model().objects.filter(email="new@example.com").exists()


def test_the_checkout_sign_in_is_locked_out_too(client, shopper, official_store, channel_ngn):
    # The checkout's first step signs a returning customer in with its own form.
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "1000", stock=5)
    assert client.post(f"/ng/basket/add/{listing.product.pk}/", {"quantity": 1}).status_code == 302

    def gateway(password):
        return client.post("/ng/checkout/", {
            "username": "shopper@example.com", "password": password, "options": "existing",
        })

    answers = [gateway(f"guess-{n}").status_code for n in range(30)]
    assert answers[0] == 200 and answers[-1] == 429
    right = gateway(PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)
    assert storefront_login(client, PASSWORD).status_code == 429


def test_the_checkout_sign_in_signs_a_returning_customer_in(client, shopper, official_store, channel_ngn):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "1000", stock=5)
    client.post(f"/ng/basket/add/{listing.product.pk}/", {"quantity": 1})
    answer = client.post("/ng/checkout/", {
        "username": "shopper@example.com", "password": PASSWORD, "options": "existing",
    })
    assert answer.status_code == 302
    assert signed_in(client)


def test_a_wrong_password_is_not_stored_in_clear(client, shopper, boss, launch_channels):
    storefront_login(client, "my-other-secret-1")
    admin_login(client, "my-other-secret-2")
    client.post("/ng/checkout/", {"username": "shopper@example.com", "password": "my-other-secret-3", "options": "existing"})
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert stored and "my-other-secret" not in stored

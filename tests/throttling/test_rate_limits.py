"""
Rate limits on the storefront's guessable endpoints, over HTTP: 429, Retry-After,
the shopper's language, per client, and a fresh allowance once the window turns.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def lookup(client, code="ci", number="CI-100001"):
    return client.post(f"/{code}/orders/lookup/", {"number": number, "email": "guess@example.com"})


def test_guest_order_lookup_is_refused_over_its_limit_in_the_channels_language(clock, launch_channels):
    guesser = at("10.0.0.1")
    answers = [lookup(guesser, number=f"CI-1{n:05d}").status_code for n in range(10)]
    assert answers == [404] * 10

    refused = lookup(guesser)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)
    page = refused.content.decode()
    assert 'lang="fr-CI"' in page
    assert "Trop de requêtes. Veuillez réessayer dans 15 minutes." in page
    # Showing the form is not a guess.
    assert guesser.get("/ci/orders/lookup/").status_code == 200


def test_the_lookup_limit_is_per_client_and_resets_after_the_window(clock, launch_channels):
    guesser, neighbour = at("10.0.0.1"), at("10.0.0.2")
    for n in range(11):
        lookup(guesser, number=f"CI-1{n:05d}")
    assert lookup(guesser).status_code == 429
    assert lookup(neighbour).status_code == 404

    clock.advance(15 * 60 - 1)
    assert lookup(guesser).status_code == 429
    clock.advance(1)
    assert lookup(guesser).status_code == 404


def test_signing_in_is_limited_per_address_across_accounts(clock, launch_channels):
    sprayer = at("10.0.0.3")
    for n in range(20):
        answer = sprayer.post("/ng/accounts/login/", {
            "login-username": f"user{n}@example.com", "login-password": "123456", "login_submit": "1",
        })
        assert answer.status_code == 200, n
    refused = sprayer.post("/ng/accounts/login/", {
        "login-username": "user99@example.com", "login-password": "123456", "login_submit": "1",
    })
    assert refused.status_code == 429
    assert "Too many requests. Please try again in 5 minutes." in refused.content.decode()
    assert sprayer.get("/ng/accounts/login/").status_code == 200


def test_the_admin_sign_in_is_limited_per_address_across_accounts(clock, db):
    sprayer = at("10.0.0.4")
    for n in range(20):
        assert sprayer.post("/admin/login/", {"username": f"user{n}", "password": "x"}).status_code == 200
    assert sprayer.post("/admin/login/", {"username": "root", "password": "x"}).status_code == 429
    assert at("10.0.0.5").post("/admin/login/", {"username": "root", "password": "x"}).status_code == 200


def test_registration_is_limited_per_address(clock, launch_channels):
    client = at("10.0.0.6")
    form = {"registration-email": "not-an-email", "registration-password1": "x",
            "registration-password2": "x", "registration_submit": "1"}
    for _ in range(5):
        assert client.post("/ng/accounts/login/", form).status_code == 200
        assert client.post("/ng/accounts/register/", {"email": "not-an-email"}).status_code == 200
    assert client.post("/ng/accounts/login/", form).status_code == 429
    assert client.post("/ng/accounts/register/", {"email": "x@example.com"}).status_code == 429
    assert get_user_model().objects.count() == 0


def test_password_reset_is_limited_per_email_from_any_address(clock, launch_channels):
    get_user_model().objects.create_user("victim-1", "victim@example.com", "pw-unused-here")
    for n in range(3):
        answer = at(f"10.1.0.{n}").post("/ng/password-reset/", {"email": "victim@example.com"})
        assert answer.status_code == 302
    assert len(mail.outbox) == 3
    refused = at("10.1.0.99").post("/ng/password-reset/", {"email": "Victim@Example.com"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(60 * 60)
    assert len(mail.outbox) == 3

    clock.advance(60 * 60)
    assert at("10.1.0.99").post("/ng/password-reset/", {"email": "victim@example.com"}).status_code == 302


def test_password_reset_is_limited_per_address(clock, launch_channels):
    client = at("10.0.0.7")
    for n in range(10):
        assert client.post("/ng/password-reset/", {"email": f"nobody{n}@example.com"}).status_code == 302
    refused = client.post("/ng/password-reset/", {"email": "nobody99@example.com"})
    assert refused.status_code == 429
    assert at("10.0.0.8").post("/ng/password-reset/", {"email": "nobody99@example.com"}).status_code == 302

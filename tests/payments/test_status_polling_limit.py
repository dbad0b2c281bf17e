"""The wait page's status polling: a real page never meets the limit; a hammering client does."""

import json

import pytest
from django.test import Client

from marketplace.throttling import ratelimit

from .conftest import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_clock(monkeypatch):
    # Half a second into a minute, so every poll below falls in one window.
    monkeypatch.setattr(ratelimit, "now", lambda: 1_800_000_000 - 1_800_000_000 % 60 + 0.5)


def test_polling_is_limited_per_client_and_payment(client, mpesa_kes, listing_kes, frozen_clock, settings):
    _order, payment = place_order(option=mpesa_kes, listing=listing_kes)
    _other_order, other_payment = place_order(option=mpesa_kes, listing=listing_kes)
    url = f"/ke/payments/{payment.reference}/status/"
    # The page polls every 2 s: 30 a minute. Four tabs' worth still answers.
    assert settings.RATELIMITS["payment-status"] == "120/m"
    assert all(client.get(url).status_code == 200 for _ in range(120))

    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Content-Type"] == "application/json"
    body = json.loads(refused.content)
    assert body == {
        "ok": False, "error": "too_many_requests", "retry_after": 60,
        "message": "Too many requests. Please try again in 1 minute.",
    }
    # Another payment, or another shopper behind another address, polls on.
    assert client.get(f"/ke/payments/{other_payment.reference}/status/").status_code == 200
    assert Client(REMOTE_ADDR="10.3.0.1").get(url).status_code == 200


def test_the_polling_message_is_in_the_channels_language(client, orange_money_xof, listing_xof, frozen_clock, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "payment-status": "1/m"}
    _order, payment = place_order(option=orange_money_xof, listing=listing_xof)
    url = f"/ci/payments/{payment.reference}/status/"
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert json.loads(refused.content)["message"] == "Trop de requêtes. Veuillez réessayer dans 1 minute."

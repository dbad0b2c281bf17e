"""The limiter itself: rates, counting per scope and client, windows turning, 429s."""

import json

import pytest
from django.test import RequestFactory

from marketplace.throttling import clients, ratelimit
from marketplace.throttling.ratelimit import Rate


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/m", Rate(10, 60)),
        ("5/15m", Rate(5, 900)),
        ("100/h", Rate(100, 3600)),
        ("3/30s", Rate(3, 30)),
        (" 1000 / d ", Rate(1000, 86400)),
    ],
)
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["", "10", "ten/m", "10/week", "0/m", "10/0m", "-1/m"])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_a_client_is_refused_past_the_limit_until_the_window_turns(clock):
    rate = Rate(3, 60)
    decisions = [ratelimit.hit("test", "10.0.0.1", rate) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 60  # the clock is half a second into the window

    clock.advance(30)
    refused = ratelimit.hit("test", "10.0.0.1", rate)
    assert not refused.allowed and refused.retry_after == 30

    clock.advance(30)
    assert ratelimit.hit("test", "10.0.0.1", rate).allowed


def test_each_client_and_each_scope_has_its_own_count(clock):
    rate = Rate(1, 60)
    assert ratelimit.hit("test", "10.0.0.1", rate).allowed
    assert not ratelimit.hit("test", "10.0.0.1", rate).allowed
    assert ratelimit.hit("test", "10.0.0.2", rate).allowed
    assert ratelimit.hit("other", "10.0.0.1", rate).allowed


def test_throttle_answers_429_with_retry_after_and_nothing_when_switched_off(clock, settings, db):
    settings.RATELIMITS = {"test": "1/m", "off": None}
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    assert ratelimit.throttle(request, "test") is None
    refused = ratelimit.throttle(request, "test", json=True)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "no-store" in refused["Cache-Control"]
    assert json.loads(refused.content)["message"] == "Too many requests. Please try again in 1 minute."
    assert all(ratelimit.throttle(request, "off") is None for _ in range(5))
    assert all(ratelimit.throttle(request, "not-configured") is None for _ in range(5))


def test_the_client_is_the_peer_unless_proxies_are_trusted(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert clients.client_ip(spoofed) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    # The left-most entry is the client's own claim; the one our proxy appended counts.
    assert clients.client_ip(spoofed) == "198.51.100.7"
    assert clients.client_ip(factory.get("/", REMOTE_ADDR="10.0.0.9")) == "10.0.0.9"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="<script>")
    assert clients.client_ip(garbage) == "10.0.0.9"


def test_ipv6_clients_count_per_64(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert clients.client_key(one) == clients.client_key(other) == "2001:db8:1:2::/64"
    assert clients.client_key(factory.get("/", REMOTE_ADDR="::ffff:10.0.0.1")) == "10.0.0.1"
    assert clients.client_key(factory.get("/", REMOTE_ADDR="")) == "unknown"


def test_a_malformed_rate_in_settings_fails_the_system_checks(settings):
    from marketplace.throttling.checks import check_ratelimits

    settings.RATELIMITS = {"login": "20/5m", "off": None}
    assert check_ratelimits() == []
    settings.RATELIMITS = {"login": "20 per minute", "other": 5}
    assert [e.id for e in check_ratelimits()] == ["throttling.E001", "throttling.E001"]

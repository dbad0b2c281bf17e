"""The sandbox messaging provider: signatures with a timestamp, numbers, idempotent sends."""

import time
from types import SimpleNamespace

import pytest

from marketplace.messaging.exceptions import (
    InvalidSignature,
    MalformedMessage,
    SendRefused,
    StaleMessage,
)
from marketplace.messaging.phones import InvalidNumber, normalise
from marketplace.messaging.providers import base, get_provider, sender_for
from marketplace.messaging.providers.base import sign
from marketplace.messaging.tasks import backoff

from .conftest import SECRET

PAYLOAD = {"message_id": "m-1", "medium": "sms", "from": "+2348051234567",
           "to": "+2348031234567", "text": "ORDER AB1 2"}


def sandbox():
    return get_provider("sandbox")


def test_a_signed_callback_reads_back():
    body, headers = sandbox().signed(PAYLOAD)
    inbound = sandbox().verify_and_parse(body, headers)
    assert (inbound.message_id, inbound.medium, inbound.sender, inbound.text) == (
        "m-1", "sms", "+2348051234567", "ORDER AB1 2")


@pytest.mark.parametrize("tamper", ["body", "signature", "timestamp", "no-signature", "no-timestamp",
                                    "non-ascii", "other-secret"])
def test_anything_but_the_providers_own_signature_is_refused(tamper):
    body, headers = sandbox().signed(PAYLOAD)
    if tamper == "body":
        body = body.replace(b"AB1 2", b"AB1 9")
    elif tamper == "signature":
        headers["X-Sandbox-Signature"] = "0" * 64
    elif tamper == "timestamp":
        headers["X-Sandbox-Timestamp"] = str(int(headers["X-Sandbox-Timestamp"]) + 1)
    elif tamper == "no-signature":
        del headers["X-Sandbox-Signature"]
    elif tamper == "no-timestamp":
        del headers["X-Sandbox-Timestamp"]
    elif tamper == "non-ascii":
        headers["X-Sandbox-Signature"] = "é" * 64
    elif tamper == "other-secret":
        headers["X-Sandbox-Signature"] = sign(b"guess", headers["X-Sandbox-Timestamp"], body)
    with pytest.raises(InvalidSignature):
        sandbox().verify_and_parse(body, headers)


NOW = 1_790_000_000  # a whole second: timestamps are whole seconds


@pytest.fixture
def frozen_clock(monkeypatch):
    """The provider's clock stopped at ``NOW``: the test's stamp and the check's now
    cannot drift apart (a real clock moved past the tolerance's edge on a slow run)."""
    monkeypatch.setattr(base, "time", SimpleNamespace(time=lambda: float(NOW)))


@pytest.mark.parametrize("age", [-300, 0, 300])
def test_a_timestamp_within_the_tolerance_is_accepted(age, frozen_clock):
    body, headers = sandbox().signed(PAYLOAD, timestamp=NOW - age)
    assert sandbox().verify_and_parse(body, headers).message_id == "m-1"


@pytest.mark.parametrize("age", [-301, 301, 10**9])
def test_a_timestamp_outside_the_tolerance_is_a_replay(age, frozen_clock):
    body, headers = sandbox().signed(PAYLOAD, timestamp=NOW - age)
    with pytest.raises(StaleMessage):
        sandbox().verify_and_parse(body, headers)


@pytest.mark.parametrize("timestamp", ["NaN", "1e9", "-5", "١٧٠٠٠٠٠٠٠٠", "9" * 40])
def test_a_timestamp_that_is_not_seconds_is_refused(timestamp):
    body = b"{}"
    headers = {"X-Sandbox-Timestamp": timestamp,
               "X-Sandbox-Signature": sign(SECRET.encode(), "0", body)}
    with pytest.raises(InvalidSignature):
        sandbox().verify_and_parse(body, headers)


def test_no_secret_refuses_everything(settings):
    settings.MESSAGING_PROVIDERS = {"sandbox": {
        "CLASS": "marketplace.messaging.providers.sandbox.SandboxProvider", "SECRET": ""}}
    body, headers = sandbox().signed(PAYLOAD)
    with pytest.raises(InvalidSignature):
        sandbox().verify_and_parse(body, headers)


@pytest.mark.parametrize("payload", [
    {**PAYLOAD, "text": "ORDER\u0000AB1"},
    {**PAYLOAD, "medium": "pigeon"},
    {**PAYLOAD, "message_id": ""},
    {**PAYLOAD, "from": 2348051234567},
    {**PAYLOAD, "text": "x" * 1531},
    [PAYLOAD],
])
def test_signed_but_malformed(payload):
    body, headers = sandbox().signed(payload)
    with pytest.raises(MalformedMessage):
        sandbox().verify_and_parse(body, headers)


def test_deep_nesting_is_malformed_not_a_recursion_error():
    body = b'{"a":' * 5000 + b"1" + b"}" * 5000
    stamp = str(int(time.time()))
    headers = {"X-Sandbox-Timestamp": stamp, "X-Sandbox-Signature": sign(SECRET.encode(), stamp, body)}
    with pytest.raises(MalformedMessage):
        sandbox().verify_and_parse(body, headers)


@pytest.mark.parametrize(("value", "region", "medium", "expected"), [
    ("0805 123 4567", "NG", "sms", "+2348051234567"),
    ("whatsapp:+254712345678", "NG", "whatsapp", "+254712345678"),
    ("+20 100 123 4567", "EG", "sms", "+201001234567"),
])
def test_numbers_are_read_per_channel_as_e164(value, region, medium, expected):
    assert normalise(value, region=region, medium=medium) == expected


@pytest.mark.parametrize("value", ["", "hello", "+234", "0805\u00001234567", "+2341" + "2" * 40,
                                   "+23412345678"])  # a Lagos landline cannot take a text
def test_not_a_mobile_number(value):
    with pytest.raises(InvalidNumber):
        normalise(value, region="NG", medium="sms")


@pytest.mark.django_db
def test_sending_is_idempotent_by_key_and_refuses_what_a_gateway_refuses():
    provider = sender_for("sms")
    first = provider.send(medium="sms", to="+2348051234567", text="Hi", key="k-1")
    assert provider.send(medium="sms", to="+2348051234567", text="Hi", key="k-1") == first
    for to, text in (("08051234567", "Hi"), ("+23412345678", "Hi"), ("+2348051234567", "x" * 1531),
                     ("+2348051234567", "")):
        with pytest.raises(SendRefused):
            provider.send(medium="sms", to=to, text=text, key=f"k-{to}-{len(text)}")


def test_backoff_grows_and_is_capped():
    assert [backoff(n, base=4, cap=1000) >= 2 * 2**n for n in range(5)] == [True] * 5
    assert all(backoff(n) <= 600 for n in range(20))
    assert backoff(0) <= 5

"""Throttling fixtures: a clock the limiter reads, and clients at chosen addresses."""

import pytest

from marketplace.throttling import ratelimit


class Clock:
    """The limiter's time, moved by the test (no sleeping)."""

    def __init__(self, start: float):
        self.time = start

    def __call__(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


@pytest.fixture
def clock(monkeypatch):
    # Just after a window of every period starts (a multiple of a day), so a test's
    # requests all fall in one window until it moves the clock.
    clock = Clock(1_800_000_000 - 1_800_000_000 % 86400 + 0.5)
    monkeypatch.setattr(ratelimit, "now", clock)
    return clock

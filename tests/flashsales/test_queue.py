"""The waiting room is first come, first served: tickets are let in in the order they were taken."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from marketplace.flashsales import gate


@pytest.fixture(autouse=True)
def _one_a_second(settings, monkeypatch):
    settings.FLASHSALES_ADMIT_PER_SECOND = 1
    cache.clear()
    gate._counts.clear()
    clock = SimpleNamespace(now=1_000_000.0)
    monkeypatch.setattr(gate, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


class Shopper:
    def __init__(self):
        self.cookie = None

    def claim(self):
        request = SimpleNamespace(COOKIES={gate.TICKET_COOKIE: self.cookie} if self.cookie else {})
        wait = gate.admit(request, sale_id=7)
        if getattr(request, "flash_ticket", None):
            self.cookie = request.flash_ticket
        if getattr(request, "flash_ticket_done", False):
            self.cookie = None
        return wait


def test_later_shoppers_never_pass_those_waiting(_one_a_second):
    clock = _one_a_second
    first, second, third = Shopper(), Shopper(), Shopper()
    assert first.claim() == 0  # the second's one admission
    assert second.claim() == 1 and third.claim() == 2  # tickets 1 and 2, their waits in order

    clock.now += 1
    late = Shopper()
    assert late.claim() >= 2  # a queue stands: the newcomer takes ticket 3, behind them
    assert third.claim() >= 1  # not its turn yet
    assert second.claim() == 0  # ticket 1's turn
    clock.now += 1
    assert late.claim() >= 1
    assert third.claim() == 0
    clock.now += 1
    assert late.claim() == 0
    assert not gate.queue_waiting(sale_id=7, rate=1, now=clock.now)


def test_a_forged_or_other_sales_ticket_counts_as_none(_one_a_second):
    forged = SimpleNamespace(COOKIES={gate.TICKET_COOKIE: "7:1"})
    assert gate._ticket_of(forged, 7) is None
    other = SimpleNamespace(COOKIES={gate.TICKET_COOKIE: gate.signing.dumps([8, 1, 0.0, "x"], salt=gate.TICKET_COOKIE)})
    assert gate._ticket_of(other, 7) is None


def test_without_a_crowd_nobody_waits(_one_a_second):
    clock = _one_a_second
    for _ in range(3):
        assert Shopper().claim() == 0
        clock.now += 1


def test_a_ticket_lets_in_once_a_kept_or_copied_cookie_queues_again(_one_a_second):
    clock = _one_a_second
    first, second = Shopper(), Shopper()
    assert first.claim() == 0
    assert second.claim() == 1
    kept = second.cookie
    clock.now += 1
    assert second.claim() == 0  # ticket 1's turn: let in, once
    copy = Shopper()
    copy.cookie = kept  # the same cookie again (kept by the client, or shared)
    clock.now += 1  # a new second: the process has room, the ticket's turn long come
    assert copy.claim() >= 1  # not let in again: it takes a ticket like a newcomer


def test_a_queue_whose_record_was_lost_still_lets_its_tickets_in(_one_a_second):
    # The queue's start (when it began draining) is a cache entry: it expires after an hour,
    # the demo's file cache culls entries at random past 300 (one per ticket let in), a
    # restarted cache has none. Without it the queue never drained again: every holder,
    # and every newcomer behind them, waited for good.
    clock = _one_a_second
    first, second, third = Shopper(), Shopper(), Shopper()
    assert first.claim() == 0
    assert second.claim() == 1 and third.claim() == 2
    cache.delete(gate._keys(7)[1])  # the start entry gone

    clock.now += 1
    assert second.claim() == 0  # ticket 1's turn came as promised
    clock.now += 1
    assert third.claim() == 0
    clock.now += 1
    assert Shopper().claim() == 0  # nobody waiting: a newcomer walks in


def test_tickets_of_a_new_count_are_not_taken_for_ones_already_used(_one_a_second):
    # The count of tickets issued expires (or is lost) while the marks of tickets let in
    # stay an hour: the new count's ticket 1 was taken for the old ticket 1's copy and
    # queued again, and again, never let in.
    clock = _one_a_second
    first, second = Shopper(), Shopper()
    assert first.claim() == 0
    assert second.claim() == 1
    clock.now += 1
    assert second.claim() == 0  # ticket 1 used
    clock.now += 5
    cache.delete(gate._keys(7)[0])  # the count issued gone
    cache.delete(gate._keys(7)[1])

    third, fourth = Shopper(), Shopper()
    assert third.claim() == 0
    assert fourth.claim() == 1  # ticket 1 of the new count
    clock.now += 1
    assert fourth.claim() == 0

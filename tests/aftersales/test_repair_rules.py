"""The repair statuses and who pays: pure rules."""

import pytest

from marketplace.aftersales import repair_rules as r


@pytest.mark.parametrize(
    ("old", "new"),
    [(r.REQUESTED, r.ACCEPTED), (r.REQUESTED, r.REFUSED), (r.ACCEPTED, r.RECEIVED), (r.RECEIVED, r.DIAGNOSING),
     (r.DIAGNOSING, r.WAITING_FOR_PARTS), (r.DIAGNOSING, r.READY), (r.WAITING_FOR_PARTS, r.READY),
     (r.READY, r.COLLECTED)],
)
def test_the_steps_of_a_repair_in_cover(old, new):
    assert r.move(old, new, in_cover=True, quote_accepted=False) == r.Move(old, new, notify=True)


@pytest.mark.parametrize(
    ("old", "new"),
    [(r.REQUESTED, r.RECEIVED), (r.ACCEPTED, r.READY), (r.COLLECTED, r.READY), (r.REFUSED, r.ACCEPTED),
     (r.READY, r.DIAGNOSING), (r.DIAGNOSING, "fixed"), ("nonsense", r.READY)],
)
def test_no_step_is_skipped_or_undone(old, new):
    with pytest.raises(r.MoveRefused):
        r.move(old, new, in_cover=True, quote_accepted=True)


def test_out_of_cover_the_repair_waits_for_the_accepted_quote():
    with pytest.raises(r.MoveRefused) as refused:
        r.move(r.DIAGNOSING, r.READY, in_cover=False, quote_accepted=False)
    assert "quote" in str(refused.value.message)
    assert r.move(r.DIAGNOSING, r.WAITING_FOR_PARTS, in_cover=False, quote_accepted=True).new == r.WAITING_FOR_PARTS
    assert r.move(r.RECEIVED, r.DIAGNOSING, in_cover=False, quote_accepted=False).new == r.DIAGNOSING


def test_who_pays_and_when_a_quote_is_asked_for():
    assert r.payer(in_cover=True) == r.WARRANTY and r.payer(in_cover=False) == r.SHOPPER
    assert r.may_quote(status=r.DIAGNOSING, in_cover=False)
    assert not r.may_quote(status=r.DIAGNOSING, in_cover=True)
    assert not r.may_quote(status=r.READY, in_cover=False)

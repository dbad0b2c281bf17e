"""Redis commands of a whole guest checkout, step by step (``marketplace.requestcache``).

Each request reads the shared-cache entries it needs (active channels, session, page
tokens, delivery data, payment options, flat-page version) in one MGET when it starts,
and token bumps are one Lua script each (``rediscache``): 73 commands a checkout before,
33 now. Counted in this process (``tests.rediscount``), on a second guest's checkout as
``test_query_counts`` does. A step that reads an entry one by one again fails here.
"""

from collections import Counter

import pytest

from tests.rediscount import counting_redis, needs_redis

from . import test_query_counts as walked
from .test_query_counts import queued_tasks  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PINNED = {
    # MGET of the request's entries; the stock token; the page; units left (GET, SET); basket holes.
    "product page": 6,
    "add to basket": 5,  # MGET; the basket token bumped (now and on commit, twice: line and basket)
    "guest e-mail": 2,   # MGET; session written
    "address": 2,        # MGET (session, delivery data with it); session written
    "delivery": 4,       # page: MGET, flat pages; POST: MGET, session written
    "payment": 4,        # the same
    "preview": 2,        # MGET; flat pages
    "place order": 6,    # MGET; stock and basket tokens (now and on commit); session written
    "thank-you page": 2,  # MGET; flat pages
}


class CountingSteps:
    """Redis commands per checkout step (wraps the walk of ``test_query_counts``)."""

    def __init__(self, monkeypatch):
        self.commands = Counter()
        original = walked.CountingClient.__call__
        steps = self

        def call(client, step, *args, **kwargs):
            with counting_redis(monkeypatch) as counted:
                response = original(client, step, *args, **kwargs)
            steps.commands[step] += counted.total
            return response

        monkeypatch.setattr(walked.CountingClient, "__call__", call)


def test_each_checkout_step_reads_the_shared_cache_in_its_pinned_commands(
    official_store, launch_channels, queued_tasks, monkeypatch  # noqa: F811
):
    needs_redis()
    listing, _pickup = walked._shop(launch_channels["ng"], official_store, "ng")
    walked.check_out("ng", listing, "first@example.com")  # warms the caches (and learns ng's id)
    steps = CountingSteps(monkeypatch)

    walked.check_out("ng", listing, "second@example.com")

    assert dict(steps.commands) == PINNED, repr(sorted(steps.commands.items()))
    assert sum(steps.commands.values()) == 33

"""Fixtures shared by every test: channels by what differs, sellers, products."""

import os
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from marketplace.channels.launch import ensure_launch_channels
from marketplace.channels.models import Channel, TaxComponent
from marketplace.flashsales import fastpath as flash_fastpath
from marketplace.flashsales import selectors as flash_selectors

from . import factories


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    # Active channels are cached; a rolled-back test must not leak into the next.
    cache.clear()
    # Flash-sale item cards are kept a second per process; SQLite reuses the ids of
    # rolled-back rows, so a card must not outlive its test.
    flash_selectors._LOCAL.clear()
    # So are the fast path's channels, page versions and "sold out" (a tenth of a second).
    flash_fastpath.forget()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    cache.clear()
    flash_selectors._LOCAL.clear()
    flash_fastpath.forget()


@pytest.fixture(autouse=True)
def _celery_may_join_results():
    # Celery marks "inside a task" (result.get() refused) in a process-wide flag while it runs
    # an eager task, and puts back the value it found: two threads of an earlier test running
    # eager tasks at once (a live server, the concurrency tests) can leave it set, and a later
    # test's ``task.delay().get()`` in this process then fails for it.
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture
def postgres(db):
    """Skip (locally) or fail (CI) when the database is not PostgreSQL."""
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but the database is not PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def launch_channels(db):
    """The six launch channels, recreated if a transactional test emptied them."""
    ensure_launch_channels(Channel, TaxComponent)
    cache.clear()
    return {c.code: c for c in Channel.objects.prefetch_related("tax_components")}


@pytest.fixture
def channel_ngn(launch_channels):
    return launch_channels["ng"]


@pytest.fixture
def channel_egp(launch_channels):
    return launch_channels["eg"]


@pytest.fixture
def channel_kes(launch_channels):
    return launch_channels["ke"]


@pytest.fixture
def channel_xof(launch_channels):
    return launch_channels["ci"]


@pytest.fixture
def channel_mad(launch_channels):
    return launch_channels["ma"]


@pytest.fixture
def channel_ghs(launch_channels):
    return launch_channels["gh"]


@pytest.fixture
def official_store(launch_channels):
    return factories.official_store("Xiaomi", channels=launch_channels.values())


@pytest.fixture
def third_party_seller(channel_ngn):
    return factories.seller("Lagos Gadgets Hub", channels=[channel_ngn])


@pytest.fixture
def phones(db):
    return factories.category("Phones")


@pytest.fixture
def midday_in_lagos(monkeypatch):
    """``timezone.now()`` runs from today's noon in Lagos instead of the real time.

    "Today" is per channel's time zone (dashboard figures, a repair's day, a return's
    window): a run that crossed midnight there (between a fixture's "today" and the
    page's) found it yesterday. Noon in Lagos is between 11:00 and 14:00 in every launch
    channel's zone, the same day everywhere; the clock still moves, so what is
    written later is later.
    """
    real_now = timezone.now
    started = real_now()
    lagos = ZoneInfo("Africa/Lagos")
    noon = datetime.combine(started.astimezone(lagos).date(), time(12), tzinfo=lagos)
    monkeypatch.setattr(timezone, "now", lambda: noon + (real_now() - started))
    return noon

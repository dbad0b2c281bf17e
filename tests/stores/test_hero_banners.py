"""The home page's hero banner: per channel, in the shopper's language, only while it runs,
its picture as WebP renditions; a change shows on the next visit of a cached page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from marketplace.demo.images import store_banner_png
from marketplace.stores.models import HeroBanner, HeroBannerTranslation
from marketplace.thumbnails import renditions

pytestmark = pytest.mark.django_db


@pytest.fixture
def banner(launch_channels):
    banner = HeroBanner.objects.create(
        channel=launch_channels["eg"], title="Redmi week", subtitle="Every Redmi, official",
        link="stores/",
    )
    HeroBannerTranslation.objects.create(parent=banner, language="ar", title="أسبوع ريدمي")
    return banner


def test_the_banner_shows_in_the_shoppers_language_and_only_in_its_channel(client, banner):
    arabic = client.get("/eg/").content.decode()
    assert "أسبوع ريدمي" in arabic and 'href="/eg/stores/"' in arabic
    english = client.get("/eg/en/").content.decode()
    assert "Redmi week" in english and "Every Redmi, official" in english
    assert "Redmi week" not in client.get("/ng/").content.decode()


@pytest.mark.parametrize("dates", [
    {"starts_at": timedelta(hours=1)},
    {"ends_at": timedelta(hours=-1), "starts_at": timedelta(days=-2)},
    {"is_active": False},
])
def test_a_banner_not_running_now_is_not_shown(client, banner, dates):
    now = timezone.now()
    for field, value in dates.items():
        setattr(banner, field, now + value if isinstance(value, timedelta) else value)
    banner.save()
    assert "Redmi week" not in client.get("/eg/en/").content.decode()


def test_the_picture_is_served_as_webp_renditions_made_on_save(
    client, banner, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        banner.image.save("hero.png", ContentFile(store_banner_png((166, 66, 0), size=(1200, 500))))
    size = renditions.size_for("800x334", crop=True)
    for density in renditions.DENSITIES:
        assert (tmp_path / renditions.rendition_path(banner.image.name, size, density)).exists()
    html = client.get("/eg/en/").content.decode()
    assert f"/media/{renditions.rendition_path(banner.image.name, size, 2)} 2x" in html
    assert 'fetchpriority="high"' in html


def test_an_edited_banner_shows_on_the_next_visit_of_the_cached_home_page(
    client, banner, settings, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_ENABLED = True
    assert "Redmi week" in client.get("/eg/en/").content.decode()
    assert "Redmi week" in client.get("/eg/en/").content.decode()  # from the cache
    banner.title = "Tecno days"
    with django_capture_on_commit_callbacks(execute=True):
        banner.save()
    assert "Tecno days" in client.get("/eg/en/").content.decode()


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: ``clock.at(moment)`` is what every ``timezone.now()`` answers."""

    class Clock:
        def at(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


def _shown(client):
    return "Redmi week" in client.get("/eg/en/").content.decode()


def test_a_banner_starts_and_ends_on_the_next_request_of_the_cached_home_page(
    client, banner, settings, clock, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_ENABLED = True
    start = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    banner.starts_at, banner.ends_at = start, start + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        banner.save()

    clock.at(start - timedelta(seconds=1))
    assert not _shown(client)
    assert not _shown(client)  # the page is cached now, before the start
    clock.at(start)
    assert _shown(client)  # no write happened: the start alone shows it
    assert _shown(client)
    clock.at(start + timedelta(hours=2) - timedelta(microseconds=1))
    assert _shown(client)
    clock.at(start + timedelta(hours=2))
    assert not _shown(client)  # and the end alone takes it down


def test_a_banner_without_a_start_goes_at_its_end_from_the_cached_page(
    client, banner, settings, clock, django_capture_on_commit_callbacks
):
    settings.PAGECACHE_ENABLED = True
    end = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    banner.ends_at = end
    with django_capture_on_commit_callbacks(execute=True):
        banner.save()

    clock.at(end - timedelta(seconds=1))
    assert _shown(client) and _shown(client)
    clock.at(end)
    assert not _shown(client)

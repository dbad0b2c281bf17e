"""
Headless Chromium through Playwright, against pytest-django's ``live_server``.

Chromium is Debian's (``/usr/bin/chromium``), not one downloaded by Playwright.
When it is missing the browser tests fail, saying so: CI installs it, and a
skipped test would hide a storefront nobody looked at.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Loaded CI machines are slow: the 5 s default of ``expect`` is not enough there.
expect.set_options(timeout=15_000)

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_executable() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail(
            "Chromium not found on PATH: the browser tests need it "
            "(Debian/Ubuntu: apt-get install chromium; or set CHROMIUM=/path/to/chromium).",
            pytrace=False,
        )
    return path


@contextmanager
def _async_unsafe_allowed():
    """
    Let Django's ORM run in the main thread while Playwright's event loop runs there.

    Playwright's sync API keeps an asyncio loop "running" in the main thread for as
    long as it is started, so Django refuses ORM calls from that thread
    (SynchronousOnlyOperation): the data fixtures and the flush after each
    transactional test. Nothing here is async, so the check is a false alarm.

    Set only while the browser is up, not at import time: the variable would
    otherwise leak into every later test and into the subprocesses they start
    (``manage.py check --deploy`` fails with async.E001 when it is set).
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Package scope: one Chromium for all browser tests, shut down (with Playwright's
# event loop) as soon as the last of them has run, before any other test package.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium_executable()
    with _async_unsafe_allowed(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(browser):
    """A fresh profile per test: no cookies carried from one test to the next."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    page.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves a full-page PNG under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def storefront_products(launch_channels):
    """An official store's phone listed in Egypt, Côte d'Ivoire and Kenya."""
    from tests import factories

    channels = [launch_channels[code] for code in ("eg", "ci", "ke")]
    store = factories.official_store("Xiaomi", channels=channels)
    phones = factories.category("Phones")
    phone = factories.product("Redmi Note 13", category=phones)
    factories.listing(phone, store, launch_channels["eg"], "12999.50")
    factories.listing(phone, store, launch_channels["ci"], "125000")
    factories.listing(phone, store, launch_channels["ke"], "25999.00")
    return {"phone": phone, "store": store}

"""
Errors as the demo and production show them (DEBUG off): our own 404 and 500 pages in
the channel's language, never Django's technical pages (no URLconf, no traceback).
"""

import pytest
from django.test import Client

from marketplace.storefront import views as storefront_views

TECHNICAL = ("URLconf", "Traceback", "Django tried these URL patterns", "DEBUG = True", "settings.py",
             "technical", "admin/", "Request Method")


def assert_not_technical(html):
    for leak in TECHNICAL:
        assert leak not in html, leak


@pytest.mark.parametrize("path, language, text", [
    ("/no-such-page/", "en", "Page not found"),
    ("/ng/no-such-page/", "en", "Page not found"),
    ("/ci/no-such-page/", "fr", "Page introuvable"),
    ("/eg/no-such-page/", "ar", "الصفحة غير موجودة"),
])
def test_a_404_is_our_page_in_the_channels_language(settings, client, launch_channels, path, language, text):
    settings.DEBUG = False  # as in the demo (settings.demo) and production
    response = client.get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert f'lang="{language}' in html
    assert_not_technical(html)


@pytest.fixture
def failing_home(monkeypatch):
    def explode(self, *args, **kwargs):
        raise RuntimeError("secret-detail-of-the-failure")

    monkeypatch.setattr(storefront_views.HomeView, "get_context_data", explode)


@pytest.mark.parametrize("path, language, direction, text, home", [
    ("/ng/", "en", "ltr", "Something went wrong on our side.", "/ng/"),
    ("/ci/", "fr", "ltr", "Un problème est survenu de notre côté.", "/ci/"),
    ("/eg/", "ar", "rtl", "حدث خطأ من جانبنا.", "/eg/"),
])
def test_a_500_is_our_page_in_the_channels_language_without_the_error(
    settings, launch_channels, failing_home, path, language, direction, text, home
):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get(path)

    assert response.status_code == 500
    html = response.content.decode()
    assert text in html
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'href="{home}"' in html
    assert "secret-detail-of-the-failure" not in html and "RuntimeError" not in html
    assert_not_technical(html)
    assert "Content-Security-Policy" in response.headers

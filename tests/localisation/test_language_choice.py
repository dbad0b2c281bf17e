"""
Choosing a language: by URL, cookie, browser header or form. A language a
channel does not offer falls back to the channel's default, never an error.
"""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/ke/fr/", "/ke/"),  # French is not offered in Kenya
        ("/eg/sw/catalogue/", "/eg/catalogue/"),
        ("/ci/ar/search/?q=redmi", "/ci/search/?q=redmi"),
        ("/ng/sw/basket/", "/ng/basket/"),
        ("/eg/ar/", "/eg/"),  # the default language spelled out
    ],
)
def test_a_language_not_offered_in_the_url_falls_back_to_the_default(
    client, launch_channels, url, target
):
    response = client.get(url)

    assert response.status_code in (301, 302)
    assert response["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.parametrize(("cookie", "accept"), [("sw", ""), ("fr", "fr-FR,fr;q=0.9"), ("xx", "de")])
def test_the_url_decides_the_language_whatever_the_cookie_or_browser_says(
    client, launch_channels, cookie, accept
):
    client.cookies[COOKIE] = cookie

    response = client.get("/eg/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 200
    assert '<html lang="ar-EG" dir="rtl"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "next_url", "target"),
    [
        ("en", "/eg/catalogue/", "/eg/en/catalogue/"),
        ("ar", "/eg/en/catalogue/?page=2", "/eg/catalogue/?page=2"),
        ("sw", "/ke/basket/", "/ke/sw/basket/"),
        # Not offered in that channel: its default language, no error.
        ("sw", "/eg/en/catalogue/", "/eg/catalogue/"),
        ("fr", "/ke/sw/", "/ke/"),
        # Not a language of the marketplace: the page stays as it was.
        ("de", "/eg/en/", "/eg/en/"),
        ("", "/ke/sw/", "/ke/sw/"),
        # Outside a channel the address does not change.
        ("fr", "/admin/", "/admin/"),
    ],
)
def test_the_language_form_sends_to_the_page_in_that_language_or_the_default(
    client, launch_channels, language, next_url, target
):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == target


def test_the_language_form_remembers_a_known_language_only(client, launch_channels):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/admin/"})
    assert client.cookies[COOKIE].value == "ar"

    client.post("/i18n/setlang/", {"language": "klingon", "next": "/admin/"})
    assert client.cookies[COOKIE].value == "ar"


def test_the_language_form_never_redirects_off_site(client, launch_channels):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_outside_a_channel_the_cookie_chooses_the_language(client, launch_channels):
    client.cookies[COOKIE] = "fr"
    assert '<html lang="fr"' in client.get("/").content.decode()

    client.cookies[COOKIE] = "xx"  # unknown: English, no error
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()

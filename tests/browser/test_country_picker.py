"""The country picker at ``/``: every country in its own language; the last one first."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each name as CLDR writes it in the country's default language (Babel's U+2019 in Côte d’Ivoire).
NAMES = {
    "ng": "Nigeria",
    "eg": "مصر",
    "ke": "Kenya",
    "ci": "Côte d\u2019Ivoire",
    "ma": "Maroc",
    "gh": "Ghana",
}


def _countries(page):
    items = page.locator("ul.countries li.country")
    return [
        (item.get_attribute("data-country"), item.locator("strong").inner_text().strip())
        for item in items.all()
    ]


def test_picker_lists_each_country_in_its_own_language(
    live_server, launch_channels, page, screenshot
):
    response = page.goto(f"{live_server.url}/")
    assert response.status == 200

    countries = _countries(page)
    assert dict(countries) == NAMES
    assert len(countries) == len(NAMES)
    # Arabic names are marked up as right-to-left text inside the list.
    egypt = page.locator('li.country[data-country="eg"] strong')
    assert egypt.get_attribute("lang") == "ar"
    assert egypt.evaluate("el => getComputedStyle(el).direction") == "rtl"
    screenshot(page, "picker")


def test_choosing_kenya_opens_its_storefront_and_is_offered_first_next_time(
    live_server, launch_channels, page
):
    page.goto(f"{live_server.url}/")
    first_before = _countries(page)[0][0]
    assert first_before != "ke", "Kenya is first before anyone chose it: the test proves nothing"
    assert page.locator(".last-country").count() == 0

    page.locator("ul.countries li.country").filter(has_text="Kenya").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/ke/$"))
    assert page.url == f"{live_server.url}/ke/"
    assert page.evaluate("() => document.documentElement.lang") == "en-KE"

    page.goto(f"{live_server.url}/")
    countries = _countries(page)
    assert countries[0] == ("ke", "Kenya")
    assert sorted(code for code, _ in countries) == sorted(NAMES)
    assert "last-chosen" in (
        page.locator("ul.countries li.country").first.get_attribute("class") or ""
    )
    resume = page.locator(".last-country a")
    assert resume.inner_text().strip() == "Kenya"
    assert resume.get_attribute("href") == "/ke/"

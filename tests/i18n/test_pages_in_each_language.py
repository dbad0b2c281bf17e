"""
No storefront page shows English text in French, Arabic or Swahili.

Every message lookup made while a shopper walks through the storefront (home,
catalogue, category, search, product, basket with its messages and errors,
login and registration with their errors, password reset, offers, 404, every
account page, and a guest's checkout) must be held by a catalogue for the
page's language: ours
(locale/), Oscar's or Django's. Oscar's Swahili catalogue is empty, so Oscar's
strings shown here are translated in ours (see
marketplace/localisation/oscar_strings.py).
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from django.urls import reverse
from django.utils import translation

from tests import factories

from .lookups import Lookup, recording

pytestmark = pytest.mark.django_db

STOREFRONT = "marketplace.urls_storefront"
PASSWORD = "a-long-demo-password-1"


def path(name, **kwargs):
    return reverse(name, urlconf=STOREFRONT, kwargs=kwargs or None).lstrip("/")


@pytest.fixture
def shop(launch_channels, official_store, phones):
    phone = factories.product("Redmi Note 13", category=phones)
    family = factories.product("Redmi 13C", category=phones, structure="parent")
    variants = [factories.product(f"Redmi 13C {size}", parent=family) for size in ("4GB", "8GB")]
    for channel in launch_channels.values():
        factories.listing(phone, official_store, channel, "1000", stock=5)
        for variant in variants:
            factories.listing(variant, official_store, channel, "800", stock=3)
    user = get_user_model().objects.create_user(
        username="amina", email="amina@example.com", password=PASSWORD
    )
    return {"phone": phone, "family": family, "category": phones, "user": user}


def visit(client, url, *, method="get", data=None, statuses=(200,)):
    response = getattr(client, method)(url, data or {}, follow=method == "post")
    assert response.status_code in statuses, f"{method.upper()} {url}: {response.status_code}"
    return response


def walk_the_storefront(client, prefix, shop):
    phone, family, category = shop["phone"], shop["family"], shop["category"]
    pages = [
        "",
        path("catalogue:index"),
        path("catalogue:category", category_slug=category.get_full_slug(), pk=category.pk),
        path("catalogue:detail", product_slug=phone.slug, pk=phone.pk),
        path("catalogue:detail", product_slug=family.slug, pk=family.pk),
        path("search:search") + "?q=Redmi",
        path("search:search") + "?q=nothing-matches-this",
        path("search:search") + "?q=",
        path("basket:summary"),
        path("customer:login"),
        path("customer:register"),
        path("password-reset"),
        path("password-reset-done"),
    ]
    for page in pages:
        visit(client, prefix + page)
    visit(client, prefix + "catalogue/nothing_999999/", statuses=(404,))
    # Errors shoppers cause, and the messages after an action.
    visit(client, prefix + path("basket:add", pk=phone.pk), method="post",
          data={"quantity": "abc"}, statuses=(400,))
    visit(client, prefix + path("basket:add", pk=phone.pk), method="post", data={"quantity": 1})
    visit(client, prefix + path("basket:summary"))
    visit(client, prefix + path("customer:login"), method="post",
          data={"login_submit": "1", "login-username": "amina@example.com", "login-password": "wrong"})
    visit(client, prefix + path("customer:register"), method="post",
          data={"email": "not-an-email", "password1": "123", "password2": "456"})
    visit(client, prefix + path("password-reset"), method="post", data={"email": ""})

    client.force_login(shop["user"])
    for page in [
        path("customer:profile-view"),
        path("customer:profile-update"),
        path("customer:change-password"),
        path("customer:order-list"),
        path("customer:address-list"),
        path("customer:address-create"),
        path("customer:email-list"),
        path("customer:notifications-inbox"),
        path("customer:alerts-list"),
        path("customer:wishlists-list"),
        path("customer:wishlists-create"),
        path("basket:summary"),
    ]:
        visit(client, prefix + page)
    visit(client, prefix + path("customer:change-password"), method="post",
          data={"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    client.logout()


@pytest.mark.parametrize(
    ("prefix", "language"), [("/ke/sw/", "sw"), ("/eg/", "ar"), ("/ma/ar/", "ar"), ("/ci/", "fr")]
)
def test_no_page_shows_text_its_language_does_not_translate(client, shop, prefix, language):
    with recording() as recorder:
        walk_the_storefront(client, prefix, shop)

    in_language = [lookup for lookup in recorder.lookups if lookup.language == language]
    assert len(in_language) > 300, "the walk looked up too few messages to prove anything"
    untranslated = sorted(str(lookup) for lookup in recorder.untranslated)
    assert not untranslated, (
        f"{len(untranslated)} message(s) shown in English on {prefix} pages:\n  "
        + "\n  ".join(untranslated)
        + "\nAdd Oscar's or Django's msgid to marketplace/localisation/oscar_strings.py, "
        "then `make messages`, translate, `make compilemessages`."
    )


def test_the_recorder_catches_a_string_no_catalogue_has():
    template = engines["django"].from_string(
        '{% load i18n %}{% trans "Basket" %} {% trans "A sentence nobody has translated" %}'
    )
    with translation.override("sw"), recording() as recorder:
        rendered = template.render({})

    assert rendered.startswith("Kikapu ")
    assert recorder.untranslated == {Lookup("sw", "A sentence nobody has translated")}


def walk_the_checkout(client, prefix, listing, country):
    """A guest's checkout, mistakes included, to the thank-you page and the order lookup."""
    from tests.checkout.builders import PHONES

    def go(method, url, data=None):
        response = getattr(client, method)(prefix + url, data or {})
        assert response.status_code < 500, f"{method.upper()} {prefix}{url}: {response.status_code}"
        return response

    go("post", path("basket:add", pk=listing.product.pk), {"quantity": 1})
    go("get", "checkout/")
    go("post", "checkout/", {"username": "not-an-email", "options": "anonymous"})
    go("post", "checkout/", {"username": "ada@example.com", "options": "anonymous"})
    go("get", "checkout/shipping-address/")
    go("post", "checkout/shipping-address/", {"first_name": "", "country": country})
    go("post", "checkout/shipping-address/", {
        "first_name": "Ada", "last_name": "Obi", "line1": "12 Road", "line4": "City",
        "country": country, "phone_number": PHONES[country],
    })
    go("get", "checkout/shipping-method/")
    choice = re.search(r'name="option" value="(\d+)"', go("get", "checkout/payment-method/").content.decode())
    go("post", "checkout/payment-method/", {})
    if choice:
        go("post", "checkout/payment-method/", {"option": choice.group(1)})
    preview = go("get", "checkout/preview/").content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', preview)
    total = re.search(r'name="expected_total" value="([^"]+)"', preview)
    if key and total:
        go("post", "checkout/preview/", {
            "action": "place_order", "checkout_key": key.group(1), "expected_total": total.group(1),
        })
    go("get", "checkout/thank-you/")
    go("get", "orders/lookup/")
    go("post", "orders/lookup/", {"number": "nothing", "email": "nobody"})


@pytest.mark.parametrize(
    ("prefix", "code", "language"), [("/ke/sw/", "ke", "sw"), ("/eg/", "eg", "ar"), ("/ci/", "ci", "fr")]
)
def test_the_checkout_shows_no_text_its_language_does_not_translate(
    client, launch_channels, official_store, prefix, code, language
):
    from tests.checkout.builders import home_delivery, pay_on_delivery

    channel = launch_channels[code]
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel, "1000")
    home_delivery(channel, "10")
    pay_on_delivery(channel, cap=Decimal("100000000"))

    with recording() as recorder:
        walk_the_checkout(client, prefix, listing, channel.country.code)

    assert len([lookup for lookup in recorder.lookups if lookup.language == language]) > 200
    untranslated = sorted(str(lookup) for lookup in recorder.untranslated)
    assert not untranslated, f"shown in English in the {prefix} checkout:\n  " + "\n  ".join(untranslated)

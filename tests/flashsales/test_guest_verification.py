"""A guest's e-mail is verified by a one-time code before a flash-sale order counts against it."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from oscar.apps.order.models import ShippingAddress

from marketplace.flashsales import verification
from marketplace.flashsales.models import Reservation, SaleItem, ShopperTally
from marketplace.order.models import Order
from tests import factories
from tests.checkout.builders import home_delivery, pay_on_delivery

from .conftest import make_item, make_sale
from .test_short_checkout import ADDRESS, code_sent_to, form_data, verified

pytestmark = pytest.mark.django_db

ADA = "ada@example.com"


@pytest.fixture(autouse=True)
def _database_claims(settings):
    settings.FLASHSALES_CLAIMS = "database"
    # The order placed in the request, as for any basket (test_accepted_orders: taken at once
    # and written by a worker, the default for a basket of flash-sale lines only).
    settings.FLASHSALES_ACCEPT_ORDERS = False


@pytest.fixture
def shop(hot_item, channel_ngn):
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    return hot_item


@pytest.fixture
def clock(monkeypatch):
    """The verification's clock, moved on by hand (``clock.now += 31``)."""

    class Clock:
        now = time.time()

    monkeypatch.setattr(verification, "_now", lambda: Clock.now)
    return Clock


def won(client, item, email=ADA):
    """A guest who won a claim of ``item``: its checkout URL and the filled-in form."""
    claimed = client.post(f"/ng/flash-sales/items/{item.pk}/claim/", {"quantity": "1"})
    assert claimed.status_code == 302
    url = claimed["Location"]
    return url, {**form_data(client.get(url)), "email": email, **ADDRESS}


def nothing_placed():
    return not Order.objects.exists() and not ShippingAddress.objects.exists() and all(
        reservation.status == Reservation.RESERVED for reservation in Reservation.objects.all()
    )


@pytest.mark.parametrize("text, ok", [
    ("123456", True), ("000000", True), ("12345", False), ("1234567", False), ("١٢٣٤٥٦", False),
    ("12345\n", False), ("12\x003456", False), ("", False), (None, False), ("9" * 10_000, False),
])
def test_a_code_is_exactly_six_ascii_digits(text, ok):
    assert verification.code_shape_ok(text) is ok


def test_the_rules_of_codes_and_addresses():
    assert verification.mask_email("ada@example.com") == "a…@example.com"
    assert verification.normalise_email("  Ada@Example.COM ") == ADA
    codes = {verification.new_code() for _ in range(200)}
    assert all(verification.code_shape_ok(code) for code in codes) and len(codes) > 150
    kept = verification.digest(contact=ADA, code="123456", secret="s")
    assert "123456" not in kept and kept != verification.digest(contact="bob@example.com", code="123456", secret="s")


def test_an_unverified_guest_post_sends_a_code_and_places_nothing(client, shop):
    url, fields = won(client, shop)

    response = client.post(url, fields)

    assert response.status_code == 200
    html = response.content.decode()
    assert "We sent a 6-digit code to a…@example.com" in html
    assert 'name="code"' in html and 'autocomplete="one-time-code"' in html
    assert form_data(response)["line1"] == ADDRESS["line1"]  # what the guest typed is kept
    assert nothing_placed()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADA]
    assert re.fullmatch(r"[0-9]{6}", code_sent_to(ADA))


def test_the_right_code_verifies_and_places_the_order_in_the_same_post(client, shop):
    url, fields = won(client, shop)
    client.post(url, fields)

    response = client.post(url, {**fields, "code": code_sent_to(ADA)})

    assert response.status_code == 302 and response["Location"] == "/ng/checkout/thank-you/"
    order = Order.objects.get()
    assert order.guest_email == ADA
    assert ShopperTally.objects.filter(shopper=f"o:e:{ADA}", taken=1).exists()
    assert verification.is_verified(client.session, ADA)


def test_the_e_mail_is_counted_lower_case(client, shop):
    url, fields = won(client, shop, email="  Ada@Example.COM ")
    client.post(url, fields)

    assert client.post(url, {**fields, "code": code_sent_to(ADA)}).status_code == 302
    assert Order.objects.get().guest_email == ADA


def test_a_wrong_code_is_a_400_and_five_wrong_tries_lock_the_code(client, shop, clock):
    url, fields = won(client, shop)
    client.post(url, fields)
    right = code_sent_to(ADA)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    first = client.post(url, {**fields, "code": wrong})
    assert first.status_code == 400
    assert "This code is not right. You can try 4 more times." in first.content.decode()
    for _ in range(4):
        assert client.post(url, {**fields, "code": wrong}).status_code == 400

    locked = client.post(url, {**fields, "code": right})  # the right one, too late

    assert locked.status_code == 400
    assert "Too many wrong codes. Ask for a new code." in locked.content.decode()
    assert nothing_placed()

    clock.now += verification.RESEND_SECONDS
    assert client.post(url, {**fields, "resend": "1"}).status_code == 200
    assert client.post(url, {**fields, "code": code_sent_to(ADA)}).status_code == 302
    assert Order.objects.count() == 1


@pytest.mark.parametrize("code", [
    "12345", "1234567", "abcdef", "١٢٣٤٥٦", "１２３４５６", " 123456", "1e5000", "9" * 100_000,
])
def test_a_malformed_code_is_a_translated_400_and_places_nothing(client, shop, code):
    url, fields = won(client, shop)
    client.post(url, fields)

    response = client.post(url, {**fields, "code": code})

    assert response.status_code == 400
    assert "The code is the 6 digits (0 to 9)" in response.content.decode()
    assert nothing_placed()
    # A malformed code is no guess: the right one still works.
    assert client.post(url, {**fields, "code": code_sent_to(ADA)}).status_code == 302


def test_a_nul_in_the_code_is_a_400_and_places_nothing(client, shop):
    url, fields = won(client, shop)
    client.post(url, fields)

    assert client.post(url, {**fields, "code": "12\x003456"}).status_code == 400
    assert nothing_placed()


def test_an_expired_code_is_refused(client, shop, clock):
    url, fields = won(client, shop)
    client.post(url, fields)
    clock.now += verification.CODE_SECONDS + 1

    response = client.post(url, {**fields, "code": code_sent_to(ADA)})

    assert response.status_code == 400
    assert "This code has expired" in response.content.decode()
    assert nothing_placed()


def test_a_post_without_the_code_asks_for_it_and_sends_no_other(client, shop):
    url, fields = won(client, shop)
    client.post(url, fields)

    response = client.post(url, fields)

    assert response.status_code == 400
    assert "Enter the 6-digit code we sent to a…@example.com" in response.content.decode()
    assert len(mail.outbox) == 1 and nothing_placed()


def test_new_codes_wait_thirty_seconds_and_five_an_hour(client, shop, clock):
    url, fields = won(client, shop)
    client.post(url, fields)
    first = code_sent_to(ADA)

    too_soon = client.post(url, {**fields, "resend": "1"})

    assert too_soon.status_code == 429 and int(too_soon["Retry-After"]) == verification.RESEND_SECONDS
    assert "Please wait 30 seconds before asking for another code." in too_soon.content.decode()
    assert len(mail.outbox) == 1
    for _ in range(4):
        clock.now += verification.RESEND_SECONDS
        assert client.post(url, {**fields, "resend": "1"}).status_code == 200
    assert len(mail.outbox) == 5
    clock.now += verification.RESEND_SECONDS
    sixth = client.post(url, {**fields, "resend": "1"})
    assert sixth.status_code == 429
    assert "Too many codes were sent to this address" in sixth.content.decode()
    assert len(mail.outbox) == 5
    latest = code_sent_to(ADA)
    if first != latest:  # only the latest code is good
        assert client.post(url, {**fields, "code": first}).status_code == 400
    assert nothing_placed()


def test_a_verified_e_mail_cannot_order_as_another(client, shop):
    url, fields = won(client, shop)
    verified(client, ADA)

    as_bob = client.post(url, {**fields, "email": "bob@example.com"})

    assert as_bob.status_code == 200  # Bob's address is sent a code of its own
    assert mail.outbox[-1].to == ["bob@example.com"] and nothing_placed()


def test_adas_code_does_not_verify_bob(client, shop):
    url, fields = won(client, shop)
    client.post(url, fields)

    response = client.post(url, {**fields, "email": "bob@example.com", "code": code_sent_to(ADA)})

    assert response.status_code in (200, 400)
    assert nothing_placed() and not verification.is_verified(client.session, "bob@example.com")


def test_one_verified_e_mail_from_two_devices_is_held_to_the_limit(claims_path, shop, clock):
    """Two browsers (two baskets, two device cookies) each win a claim (claims count per
    device), both verify the same e-mail: the order counts per e-mail, so only one is placed,
    on the Redis and on the database path."""
    phone, laptop = Client(), Client()
    url_one, fields_one = won(phone, shop)
    url_two, fields_two = won(laptop, shop)
    assert Reservation.objects.count() == 2 and len({r.basket_id for r in Reservation.objects.all()}) == 2

    phone.post(url_one, fields_one)
    assert phone.post(url_one, {**fields_one, "code": code_sent_to(ADA)}).status_code == 302

    clock.now += verification.RESEND_SECONDS
    assert laptop.post(url_two, fields_two).status_code == 200
    held = SaleItem.objects.get().units_held
    refused = laptop.post(url_two, {**fields_two, "code": code_sent_to(ADA)})

    assert refused.status_code == 409
    assert "You can claim only 1 unit of this item in this sale." in refused.content.decode()
    assert Order.objects.count() == 1
    assert ShopperTally.objects.get(shopper=f"o:e:{ADA}").taken == 1
    # The tally refused last: the reservation ordered and the hold taken before it are rolled back.
    assert SaleItem.objects.get().units_held == held
    assert Reservation.objects.filter(status=Reservation.RESERVED).count() == 1


def test_a_signed_in_shopper_is_not_asked_for_a_code(client, shop):
    user = get_user_model().objects.create_user("ada", ADA, "pw")
    client.force_login(user)
    url, fields = won(client, shop)
    fields.pop("email")

    response = client.post(url, fields)

    assert response.status_code == 302
    assert Order.objects.get().user == user
    assert not [message for message in mail.outbox if "order code" in message.subject]


def test_the_code_and_its_e_mail_speak_french_in_ci(client, official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_xof, "90000", stock=10)
    item = make_item(make_sale(seller=official_store, channels=[channel_xof]), listing, price="60000", units=5)
    home_delivery(channel_xof)
    pay_on_delivery(channel_xof)
    claimed = client.post(f"/ci/flash-sales/items/{item.pk}/claim/")
    url = claimed["Location"]
    fields = {**form_data(client.get(url)), "email": ADA, "first_name": "Awa", "last_name": "Koné",
              "line1": "Boulevard Latrille", "line4": "Abidjan", "country": "CI", "phone_number": "+2250701020304"}

    page = client.post(url, fields)

    assert page.status_code == 200, page.content.decode()[:2000]
    assert "Nous avons envoyé un code à 6 chiffres à a…@example.com" in page.content.decode()
    message = mail.outbox[-1]
    assert message.subject.startswith("Votre code de commande vente flash")
    assert "Saisissez ce code" in message.body
    wrong = client.post(url, {**fields, "code": "000000" if code_sent_to(ADA) != "000000" else "111111"})
    assert "Ce code n’est pas le bon" in wrong.content.decode()


def test_the_regular_checkout_does_not_skip_the_code(client, shop):
    """A guest cannot take the claim's line to the regular checkout and order it under any e-mail."""
    from tests.checkout.test_checkout_flow import choose_payment, fill_address, preview_fields

    won(client, shop)
    assert client.post("/ng/checkout/", {"username": "bob@example.com", "options": "anonymous"}).status_code == 302
    assert fill_address(client, "ng").status_code == 302
    client.get("/ng/checkout/shipping-method/")
    assert choose_payment(client, "ng").status_code == 302
    fields = preview_fields(client, "ng")

    refused = client.post("/ng/checkout/preview/", fields)

    assert refused.status_code == 400
    assert "Flash-sale items are ordered on their one-page checkout" in refused.content.decode()
    assert nothing_placed()
    verified(client, "bob@example.com")  # as the short checkout's code does
    assert client.post("/ng/checkout/preview/", fields).status_code == 302
    assert Order.objects.get().guest_email == "bob@example.com"


def test_the_one_page_checkout_does_not_skip_the_code(client, shop):
    """Nor through the basket's one-page checkout (``checkout:one-page``), which asks the guards."""
    from tests.checkout.test_one_page import ADDRESS as ONE_PAGE_ADDRESS
    from tests.checkout.test_one_page import URL as ONE_PAGE
    from tests.checkout.test_one_page import form_data as one_page_data

    won(client, shop)
    page = client.get(ONE_PAGE.format(code="ng"))
    assert page.status_code == 200
    fields = {**one_page_data(page), "email": "bob@example.com", **ONE_PAGE_ADDRESS}

    refused = client.post(ONE_PAGE.format(code="ng"), fields)

    assert refused.status_code == 400
    assert "Flash-sale items are ordered on their one-page checkout" in refused.content.decode()
    assert nothing_placed()
    verified(client, "bob@example.com")  # as the short checkout's code does
    assert client.post(ONE_PAGE.format(code="ng"), fields).status_code == 302
    assert Order.objects.get().guest_email == "bob@example.com"


# The code asked for from the page (its script's button): the shopper stays on the page -----


def code_url(url):
    return f"{url}code/"


def test_the_guests_page_has_the_code_field_and_its_button_from_the_start(client, shop):
    claimed = client.post(f"/ng/flash-sales/items/{shop.pk}/claim/", {"quantity": "1"})

    page = client.get(claimed["Location"]).content.decode()

    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page
    assert f'data-code-url="{code_url(claimed["Location"])}" hidden' in page  # shown by its script
    assert "contact-code" in page and "ask for it, then enter it below" in page
    assert not mail.outbox  # nothing sent before the shopper asks


def test_the_button_sends_the_code_and_one_post_with_it_places_the_order(client, shop):
    url, fields = won(client, shop)

    sent = client.post(code_url(url), {"email": " Ada@Example.com "}, HTTP_ACCEPT="application/json")

    assert sent.status_code == 200, sent.content
    assert sent.json() == {"status": "sent", "message": verification.CODE_SENT % {"contact": "a…@example.com"}}
    assert sent["Cache-Control"].startswith("max-age=0")
    assert [m.to for m in mail.outbox] == [[ADA]] and nothing_placed()

    placed = client.post(url, {**fields, "code": code_sent_to(ADA)})

    assert placed.status_code == 302 and placed["Location"] == "/ng/checkout/thank-you/"
    assert Order.objects.get().guest_email == ADA
    assert len(mail.outbox) == 1  # the order's POST sent no second code


def test_the_buttons_code_keeps_the_codes_limits(client, shop, clock):
    url, _fields = won(client, shop)
    assert client.post(code_url(url), {"email": ADA}).status_code == 200

    too_soon = client.post(code_url(url), {"email": ADA})

    assert too_soon.status_code == 429 and int(too_soon["Retry-After"]) == verification.RESEND_SECONDS
    assert too_soon.json()["message"] == "Please wait 30 seconds before asking for another code."
    for _ in range(4):
        clock.now += verification.RESEND_SECONDS
        assert client.post(code_url(url), {"email": ADA}).status_code == 200
    clock.now += verification.RESEND_SECONDS
    assert client.post(code_url(url), {"email": ADA}).status_code == 429
    assert len(mail.outbox) == 5 and nothing_placed()


def test_one_claim_sends_at_most_five_codes_whatever_the_addresses(client, shop):
    """The button is no way to e-mail strangers: each address has its limits, and so has the claim."""
    url, fields = won(client, shop)
    for n in range(verification.SENDS_PER_CLAIM):
        assert client.post(code_url(url), {"email": f"fan{n}@example.com"}).status_code == 200

    refused = client.post(code_url(url), {"email": "stranger@example.com"}, HTTP_ACCEPT="application/json")
    form_post = client.post(url, {**fields, "email": "another@example.com"})  # the form's first POST too

    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert refused.json()["message"] == str(verification.SENT_TOO_OFTEN_FOR_CLAIM)
    assert form_post.status_code == 429 and "Too many codes were sent for this flash-sale claim" in form_post.content.decode()
    assert len(mail.outbox) == verification.SENDS_PER_CLAIM and nothing_placed()
    assert not any("stranger@example.com" in message.to or "another@example.com" in message.to
                   for message in mail.outbox)
    # Another shopper's claim is counted apart: its own codes still go out.
    other = Client()
    other_url, _fields = won(other, shop, email="bob@example.com")
    assert other.post(code_url(other_url), {"email": "bob@example.com"}).status_code == 200
    # The refused sends touched nothing of the strangers' addresses: their own codes go out at once.
    stranger = Client()
    stranger_url, _fields = won(stranger, shop, email="stranger@example.com")
    assert stranger.post(code_url(stranger_url), {"email": "stranger@example.com"}).status_code == 200
    assert any("stranger@example.com" in message.to for message in mail.outbox)


@pytest.mark.parametrize("email", ["", "not-an-address", "ada@", "a\x00da@example.com", "a" * 300 + "@example.com",
                                   "аda@exаmple.com\n", "NaN"])
def test_a_bad_address_for_the_button_is_a_translated_400_and_sends_nothing(client, shop, email):
    url, _fields = won(client, shop)

    response = client.post(code_url(url), {"email": email}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    if "\x00" in email:  # refused before any view (``RejectNulMiddleware``), in the page's language
        assert response.content
    else:
        assert response.json()["status"] == "refused" and response.json()["message"]
    assert not mail.outbox and nothing_placed()


def test_the_button_speaks_the_channels_language(client, official_store, channel_xof):
    home_delivery(channel_xof)
    pay_on_delivery(channel_xof)
    listing = factories.listing(factories.product("Redmi 13C"), official_store, channel_xof, "90000", stock=5)
    item = make_item(make_sale(seller=official_store, channels=[channel_xof]), listing, price="70000", units=3)
    claimed = client.post(f"/ci/flash-sales/items/{item.pk}/claim/", {"quantity": "1"})

    bad = client.post(code_url(claimed["Location"]), {"email": "pas une adresse"})

    assert bad.status_code == 400
    assert bad.json()["message"] == "Saisissez une adresse de courriel valide."  # Django's own French


def test_the_button_sends_codes_only_for_a_claim_this_shopper_holds(client, shop):
    url, _fields = won(client, shop)
    stranger = Client()

    assert stranger.post(code_url(url), {"email": ADA}).status_code == 404  # another's claim
    assert client.post("/ng/flash-sales/checkout/not-a-token/code/", {"email": ADA}).status_code == 404
    assert client.get(code_url(url)).status_code == 405
    assert not mail.outbox


def test_the_button_after_the_order_or_for_a_signed_in_shopper_sends_nothing(client, shop):
    url, fields = won(client, shop)
    verified(client, ADA)
    assert client.post(url, fields).status_code == 302

    assert client.post(code_url(url), {"email": ADA}).status_code == 410

    shopper = get_user_model().objects.create_user("fan@example.com", "fan@example.com", "pw-Strong-1")
    signed_in = Client()
    signed_in.force_login(shopper)
    claimed = signed_in.post(f"/ng/flash-sales/items/{shop.pk}/claim/", {"quantity": "1"})
    page = signed_in.get(claimed["Location"]).content.decode()
    assert 'name="code"' not in page and "data-code-url" not in page
    refused = signed_in.post(code_url(claimed["Location"]), {"email": "fan@example.com"})
    assert refused.status_code == 400 and refused.json()["message"] == str(verification.NO_CODE_NEEDED)
    assert not mail.outbox

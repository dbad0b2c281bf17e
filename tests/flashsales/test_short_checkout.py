"""The one-page checkout of a flash-sale claim, through the web client: guest, signed in, bad input."""

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.address.models import Country, UserAddress
from oscar.apps.order.models import ShippingAddress

from marketplace.flashsales import verification
from marketplace.flashsales.models import Reservation, Sale, SaleItem, ShopperTally
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from tests import factories
from tests.checkout.builders import PHONES, home_delivery, pay_on_delivery

from .conftest import make_item, make_sale

pytestmark = pytest.mark.django_db

ADDRESS = {
    "first_name": "Ada", "last_name": "Obi", "line1": "12 Allen Avenue", "line4": "Lagos",
    "country": "NG", "phone_number": PHONES["NG"],
}
# The page's price: 50,000 + 7.5% VAT, and 1,000 + VAT for home delivery.
TOTAL = Decimal("54825.00")


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


class _Form(HTMLParser):
    """What a browser submits from the page's checkout form, as it was rendered."""

    def __init__(self):
        super().__init__()
        self.data, self.inside, self.select = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "flash_checkout_form":
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "")
            else:
                self.data[name] = attrs.get("value", "") or ""
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.data):
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None


def form_data(response) -> dict:
    parser = _Form()
    parser.feed(response.content.decode())
    return parser.data


def claim(client, item, *, json=False):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(f"/ng/flash-sales/items/{item.pk}/claim/", {"quantity": "1"}, **headers)


def checkout_url(item=None):
    return f"/ng/flash-sales/checkout/{Reservation.objects.latest('pk').token}/"


def guest_fields(page, **overrides):
    return {**form_data(page), "email": "ada@example.com", **ADDRESS, **overrides}


def with_code(client, url, fields):
    """A guest's first POST places nothing and e-mails a code: the same fields again, with it."""
    sent = client.post(url, fields)
    assert sent.status_code == 200, sent.status_code
    assert not Order.objects.exists()
    return {**fields, "code": code_sent_to(fields["email"])}


def code_sent_to(email):
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(r"\b([0-9]{6})\b", message.body).group(1)


def verified(client, email="ada@example.com"):
    """This browser's session verified ``email`` already (tests about something else)."""
    session = client.session
    verification.mark_verified(session, email)
    session.save()


def test_an_html_claim_leads_to_its_one_page_checkout(client, shop):
    response = claim(client, shop)

    assert response.status_code == 302
    assert response["Location"] == checkout_url()


def test_a_json_claim_answers_its_checkout_url(client, shop):
    answer = claim(client, shop, json=True).json()

    assert answer["status"] == "ok" and answer["checkout_url"] == checkout_url()


def test_a_guest_fills_one_page_and_one_post_places_the_order(client, shop):
    claim(client, shop)
    page = client.get(checkout_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Redmi Note 13" in html and "₦54,825.00" in html and "Reserved for you" in html

    response = client.post(checkout_url(), with_code(client, checkout_url(), guest_fields(page)))

    assert response.status_code == 302 and response["Location"] == "/ng/checkout/thank-you/"
    order = Order.objects.get()
    assert order.total_incl_tax == TOTAL and order.guest_email == "ada@example.com"
    assert order.shipping_address.phone_number.as_e164 == PHONES["NG"]
    assert order.lines.get().unit_price_incl_tax == Decimal("53750.00")  # the sale price with VAT
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.ORDERED and reservation.order == order
    shop.refresh_from_db()
    assert shop.units_held == shop.units - 1  # the held unit became the order's
    listing = StockRecord.objects.get(pk=shop.listing_id)
    assert listing.num_allocated == shop.units  # nothing allocated twice
    assert ShopperTally.objects.filter(shopper="o:e:ada@example.com", taken=1).exists()
    assert order.number in client.get("/ng/checkout/thank-you/").content.decode()


def test_the_pages_basket_holes_are_kept_and_a_change_to_the_basket_shows_next(client, shop, monkeypatch):
    """The basket's token is read before the claim reads the lines: the header's basket,
    rendered for the page, is kept for its next render (the code's page) until the basket changes."""
    from django.core.cache import cache

    from marketplace.basket.models import Line
    from marketplace.pagecache import holes

    rendered = []
    real = holes._render
    monkeypatch.setattr(holes, "_render", lambda name, request: (
        name in holes.BASKET_HOLES and rendered.append(name)) or real(name, request))
    claim(client, shop)
    cache.clear()  # what the claim's answer kept

    page = client.get(checkout_url())
    assert page.status_code == 200 and rendered == ["mini_basket"]  # the page's one, kept
    rendered.clear()
    sent = client.post(checkout_url(), guest_fields(page))  # the code's page: the kept holes
    assert sent.status_code == 200 and "Enter it below" in sent.content.decode() and rendered == []
    assert '<span class="count">1 item</span>' in sent.content.decode()

    line = Line.objects.get()
    line.quantity = 2
    line.save()
    again = client.get(checkout_url())
    assert "mini_basket" in rendered and '<span class="count">2 items</span>' in again.content.decode()


def test_a_posts_page_never_keeps_its_basket_holes(client, shop, monkeypatch):
    """A POST may have changed the lines in memory and not in the database: shown, not kept."""
    from django.core.cache import cache

    from marketplace.pagecache import holes

    rendered = []
    real = holes._render
    monkeypatch.setattr(holes, "_render", lambda name, request: (
        name in holes.BASKET_HOLES and rendered.append(name)) or real(name, request))
    claim(client, shop)
    page = client.get(checkout_url())
    cache.clear()
    rendered.clear()

    assert client.post(checkout_url(), guest_fields(page, line1="")).status_code == 400
    assert rendered == ["mini_basket"]  # the one hole the page shows
    assert client.get(checkout_url()).status_code == 200
    assert rendered == ["mini_basket", "mini_basket"]  # rendered again: not kept


def test_the_tokenless_url_shows_the_shoppers_current_claim(client, shop):
    claim(client, shop)

    page = client.get("/ng/flash-sales/checkout/")

    assert page.status_code == 200
    assert form_data(page)["checkout_key"]
    fields = with_code(client, "/ng/flash-sales/checkout/", guest_fields(page))
    assert client.post("/ng/flash-sales/checkout/", fields).status_code == 302
    assert Order.objects.count() == 1


def test_the_tokenless_url_without_a_claim_says_so(client, shop):
    response = client.get("/ng/flash-sales/checkout/")

    assert response.status_code == 404
    assert "You have no flash-sale claim waiting for an order." in response.content.decode()


def test_a_signed_in_shopper_with_a_saved_address_confirms_with_one_post(client, shop):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    UserAddress.objects.create(
        user=user, first_name="Ada", last_name="Obi", line1="3 Awolowo Road", line4="Lagos",
        country=Country.objects.get(iso_3166_1_a2="NG"), phone_number=PHONES["NG"],
        is_default_for_shipping=True,
    )
    client.force_login(user)
    claim(client, shop)
    page = client.get(checkout_url())
    data = form_data(page)
    assert data["line1"] == "3 Awolowo Road" and data["phone_number"] == PHONES["NG"]
    assert "email" not in data and data["method_code"] and data["option"]

    response = client.post(checkout_url(), data)  # exactly what the page filled in

    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user == user and order.total_incl_tax == TOTAL
    assert order.shipping_address.line1 == "3 Awolowo Road"
    assert ShopperTally.objects.filter(shopper=f"o:u:{user.pk}", taken=1).exists()


def test_a_repeated_submission_places_one_order(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = with_code(client, url, guest_fields(client.get(url)))

    first = client.post(url, fields)
    second = client.post(url, fields)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/ng/checkout/thank-you/"
    assert Order.objects.count() == 1
    assert ShippingAddress.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"phone_number": "12345"}, "phone_number"),
    ({"phone_number": "+254712345678"}, "phone_number"),  # valid, but Kenyan: not delivered here
    ({"email": "not-an-email"}, "email"),
    ({"email": ""}, "email"),
    ({"line1": "x" * 5000}, "line1"),
    ({"method_code": "home-999999999999999999999"}, "method_code"),
    ({"method_code": "NaN"}, "method_code"),
    ({"option": "NaN"}, "option"),
    ({"option": "1e999"}, "option"),
    ({"option": "٣"}, "option"),
    ({"country": "KE"}, "country"),
])
def test_bad_input_re_renders_the_form_with_errors_and_writes_nothing(client, shop, overrides, field):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url), **overrides)

    response = client.post(url, fields)

    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert 'id="flash_checkout_form"' in response.content.decode()
    assert not Order.objects.exists() and not ShippingAddress.objects.exists()
    assert Reservation.objects.get().status == Reservation.RESERVED


def test_a_nul_byte_is_refused_with_a_400_and_writes_nothing(client, shop):
    claim(client, shop)
    url = checkout_url()

    response = client.post(url, guest_fields(client.get(url), first_name="Ada\x00"))

    assert response.status_code == 400
    assert not Order.objects.exists() and not ShippingAddress.objects.exists()
    assert Reservation.objects.get().status == Reservation.RESERVED


@pytest.mark.parametrize("total", ["NaN", "Infinity", "1e9", "-54825", "9" * 40, "54 825", "٥٤٨٢٥", ""])
def test_a_malformed_total_is_a_form_error(client, shop, total):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    fields[f"expected_total-{fields['method_code']}"] = total

    response = client.post(url, fields)

    assert response.status_code == 400
    assert "Your order total is missing or malformed" in response.content.decode()
    assert not Order.objects.exists()


def test_a_total_other_than_the_pages_places_nothing(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    fields[f"expected_total-{fields['method_code']}"] = "1.00"
    verified(client)

    response = client.post(url, fields)

    assert response.status_code == 409
    assert "Your order total has changed" in response.content.decode()
    assert not Order.objects.exists() and not ShippingAddress.objects.exists()


def test_a_stale_form_key_is_refused(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url), checkout_key="forged")

    response = client.post(url, fields)

    assert response.status_code == 400 and "This order form has expired" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("token", ["not-a-uuid", "0" * 36, "x" * 500, "%20", "١٢٣", "{" * 36])
def test_an_unknown_or_malformed_token_is_a_translated_404(client, shop, token):
    claim(client, shop)

    response = client.get(f"/ng/flash-sales/checkout/{token}/")

    assert response.status_code == 404
    assert "does not exist or is not yours" in response.content.decode()


def test_another_shoppers_claim_is_a_404_and_cannot_be_ordered(client, shop):
    from django.test import Client

    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    stranger = Client()

    assert stranger.get(url).status_code == 404
    response = stranger.post(url, fields)

    assert response.status_code == 404
    assert not Order.objects.exists()
    assert Reservation.objects.get().status == Reservation.RESERVED


def test_a_claim_ordered_in_another_session_is_not_shown(client, shop):
    from django.test import Client

    claim(client, shop)
    url = checkout_url()
    assert client.post(url, with_code(client, url, guest_fields(client.get(url)))).status_code == 302

    assert Client().get(url).status_code == 404


def test_an_expired_claim_says_so_with_a_410(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(url, fields)

    assert response.status_code == 410
    assert "Your flash-sale claim expired" in response.content.decode()
    assert not Order.objects.exists()


def test_a_claim_of_an_ended_sale_says_so(client, shop):
    claim(client, shop)
    url = checkout_url()
    Sale.objects.update(ends_at=timezone.now() - timedelta(seconds=1),
                        starts_at=timezone.now() - timedelta(hours=1))

    response = client.get(url)

    assert response.status_code == 410
    assert "This flash sale has ended" in response.content.decode()


def test_a_stopped_sale_refuses_the_order(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    Sale.objects.update(status=Sale.STOPPED)

    response = client.post(url, fields)

    assert response.status_code == 410
    assert not Order.objects.exists()


def test_the_hold_lapsing_between_page_and_post_places_nothing(client, shop):
    """The sale stopped after the page was read (units given back): the order is refused, rolled back."""
    claim(client, shop)
    url = checkout_url()
    fields = guest_fields(client.get(url))
    SaleItem.objects.update(units_held=0)  # what a stop's release leaves
    verified(client)

    response = client.post(url, fields)

    assert response.status_code == 409
    assert "has ended before your order was placed" in response.content.decode()
    assert not Order.objects.exists() and not ShippingAddress.objects.exists()
    assert Reservation.objects.get().status == Reservation.RESERVED


def test_the_page_speaks_french_in_ci(client, official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_xof, "90000", stock=10)
    item = make_item(make_sale(seller=official_store, channels=[channel_xof]), listing, price="60000", units=5)
    home_delivery(channel_xof)
    pay_on_delivery(channel_xof)
    client.post(f"/ci/flash-sales/items/{item.pk}/claim/")
    url = f"/ci/flash-sales/checkout/{Reservation.objects.get().token}/"

    html = client.get(url).content.decode()
    assert "Passez votre commande" in html
    refused = client.get("/ci/flash-sales/checkout/nope/").content.decode()
    assert "n’existe pas" in refused or "n'existe pas" in refused


def test_the_post_that_places_the_order_runs_a_bounded_number_of_queries(client, shop):
    claim(client, shop)
    url = checkout_url()
    fields = with_code(client, url, guest_fields(client.get(url)))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, fields)

    assert response.status_code == 302 and Order.objects.count() == 1
    assert len(queries) <= QUERIES, "\n".join(q["sql"][:160] for q in queries.captured_queries)


QUERIES = 28


def test_regular_checkout_keeps_working_beside_it(client, shop):
    """The claim's line in the regular checkout is unchanged: its pages still open."""
    claim(client, shop)
    assert client.get("/ng/basket/").status_code == 200
    assert re.search(r"Reserved for you", client.get("/ng/basket/").content.decode())


def test_only_the_required_fields_place_the_order(client, shop):
    """What a script posts (bench/flash_sale.py): the page's key and total, nothing optional."""
    answer = claim(client, shop, json=True).json()
    page = client.get(answer["checkout_url"]).content.decode()
    code = re.search(r'name="method_code" value="([^"]+)"', page).group(1)
    option = re.search(r'name="option" value="([^"]+)"', page).group(1)
    key = re.search(r'name="checkout_key" value="([^"]*)"', page).group(1)
    total = re.search(rf'name="expected_total-{re.escape(code)}" value="([^"]*)"', page).group(1)

    fields = {
        "email": "fan1@bench.example", **ADDRESS, "method_code": code, "option": option,
        "checkout_key": key, f"expected_total-{code}": total,
    }
    response = client.post(answer["checkout_url"], with_code(client, answer["checkout_url"], fields))

    assert response.status_code == 302
    assert Order.objects.get().total_incl_tax == TOTAL


def test_a_guest_who_signs_in_after_the_claim_still_checks_it_out(client, shop):
    """Signing in merges the guest's basket into the account's: the claim's line comes along."""
    claim(client, shop)
    url = checkout_url()
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    client.force_login(user)

    page = client.get(url)

    assert page.status_code == 200
    response = client.post(url, {**form_data(page), **ADDRESS})
    assert response.status_code == 302
    assert Order.objects.get().user == user


def test_a_tab_racing_the_one_that_placed_the_order_is_sent_to_that_order(client, shop):
    """Two tabs post at once: the second reads the claim ordered before the first's answer wrote
    the session. The order was placed from its own basket, so it is the same submission: it goes
    where the first went, never a 410 "already ordered" (CI saw one under load)."""
    from marketplace.basket.models import Basket
    from marketplace.flashsales.shortcheckout import claim_for

    claim(client, shop)
    reservation = Reservation.objects.get()
    url = checkout_url()
    fields = with_code(client, url, guest_fields(client.get(url)))
    basket = Basket.objects.get()  # as the racing tab loaded it, before the order was placed
    basket_lines = list(basket.all_lines())
    assert client.post(url, fields).status_code == 302
    order = Order.objects.get()
    basket._lines = basket_lines  # its lines as that tab read them

    found = claim_for(token=str(reservation.token), basket=basket, session={})
    assert found.placed_order_id == order.pk and found.message is None

    other = Basket.objects.create(owner=None)
    refused = claim_for(token=str(reservation.token), basket=other, session={})
    assert refused.placed_order_id is None and refused.status == 404

"""The one-page checkout (``checkout:one-page``): the basket to an order with one page and one POST."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from oscar.apps.address.models import Country, UserAddress
from oscar.apps.order.models import ShippingAddress

from marketplace.delivery.models import DeliveryOption
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from tests import factories

from .builders import PHONES, home_delivery, pay_on_delivery

pytestmark = pytest.mark.django_db

URL = "/{code}/checkout/now/"
FORM_ID = "one_page_checkout_form"
ADDRESS = {"first_name": "Ada", "last_name": "Obi", "line1": "12 Allen Avenue", "line4": "Lagos",
           "phone_number": PHONES["NG"]}
# 120,837.21 + 7.5% VAT = 129,900.00; delivery free above 50,000.
TOTAL = Decimal("129900.00")


@pytest.fixture
def shop_ng(official_store, channel_ngn):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "120837.21",
                                stock=10)
    home_delivery(channel_ngn, "2325.58", free_above="50000")
    pay_on_delivery(channel_ngn, cap=Decimal("200000"))
    return listing


@pytest.fixture
def shop_ci(official_store, channel_xof):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_xof, "84746", stock=10)
    home_delivery(channel_xof, "1695")
    pay_on_delivery(channel_xof)
    return listing


class _Form(HTMLParser):
    """What a browser submits from the page's checkout form, as it was rendered."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.data, self.inside, self.select = form_id, {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
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
    parser = _Form(FORM_ID)
    parser.feed(response.content.decode())
    return parser.data


def add(client, code, listing, quantity=1):
    assert client.post(f"/{code}/basket/add/{listing.product.pk}/", {"quantity": quantity}).status_code == 302


def guest_fields(client, code="ng", **overrides):
    page = client.get(URL.format(code=code))
    assert page.status_code == 200, page.content[:300]
    return {**form_data(page), "email": "ada@example.com", **ADDRESS, **overrides}


def nothing_written():
    return not Order.objects.exists() and not ShippingAddress.objects.exists()


def test_a_guest_places_an_order_with_one_post(client, shop_ng):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    assert fields[f"expected_total-{fields['method_code']}"] == str(TOTAL)

    response = client.post(URL.format(code="ng"), fields)

    assert response.status_code == 302 and response["Location"] == "/ng/checkout/thank-you/"
    order = Order.objects.get()
    assert order.guest_email == "ada@example.com" and order.total_incl_tax == TOTAL
    assert order.shipping_address.phone_number == PHONES["NG"]
    assert StockRecord.objects.get(pk=shop_ng.pk).num_allocated == 1
    thank_you = client.get("/ng/checkout/thank-you/").content.decode()
    assert order.number in thank_you and "₦129,900.00" in thank_you
    # The basket is ordered: the next visit is an empty basket, sent back to the basket page.
    assert client.get(URL.format(code="ng"))["Location"] == "/ng/basket/"


def test_the_basket_leads_to_the_one_page(client, shop_ng):
    add(client, "ng", shop_ng)

    basket = client.get("/ng/basket/").content.decode()

    assert 'href="/ng/checkout/now/"' in basket


def test_the_page_shows_each_delivery_options_total_and_the_form(client, shop_ng, channel_ngn):
    pickup = DeliveryOption.objects.create(channel=channel_ngn, kind=DeliveryOption.PICKUP, name="Pickup",
                                           price=Decimal("500"))
    factories_station(channel_ngn)
    add(client, "ng", shop_ng)

    page = client.get(URL.format(code="ng"))

    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert re.search(rf'name="expected_total-pickup-{pickup.pk}-\d+" value="130437.50"', html)  # 500 + VAT
    assert 'autocomplete="tel"' in html and 'type="tel"' in html
    assert "<legend>" in html and 'for="id_email"' in html


def factories_station(channel):
    from marketplace.delivery.models import PickupStation

    PickupStation.objects.create(channel=channel, name="Station", address="1 Main Road", city="Lagos",
                                 opening_hours="8-18")


def test_a_signed_in_shopper_finds_the_default_address_filled_in(client, shop_ng):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    UserAddress.objects.create(
        user=user, first_name="Ada", last_name="Obi", line1="3 Awolowo Road", line4="Lagos",
        country=Country.objects.get(iso_3166_1_a2="NG"), phone_number=PHONES["NG"], is_default_for_shipping=True,
    )
    client.force_login(user)
    add(client, "ng", shop_ng)
    data = form_data(client.get(URL.format(code="ng")))
    assert data["line1"] == "3 Awolowo Road" and data["phone_number"] == PHONES["NG"]
    assert "email" not in data and data["method_code"] and data["option"]

    response = client.post(URL.format(code="ng"), data)  # exactly what the page filled in

    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user == user and order.shipping_address.line1 == "3 Awolowo Road"


def test_a_repeated_submission_places_one_order(client, shop_ng):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)

    first = client.post(URL.format(code="ng"), fields)
    second = client.post(URL.format(code="ng"), fields)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == "/ng/checkout/thank-you/"
    assert Order.objects.count() == 1 and ShippingAddress.objects.count() == 1
    assert StockRecord.objects.get(pk=shop_ng.pk).num_allocated == 1


def test_a_tampered_total_is_a_409_and_places_nothing(client, shop_ng):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    fields[f"expected_total-{fields['method_code']}"] = "1.00"

    response = client.post(URL.format(code="ng"), fields)

    assert response.status_code == 409
    assert "Your order total has changed" in response.content.decode()
    assert nothing_written() and not StockRecord.objects.get(pk=shop_ng.pk).num_allocated


def test_a_delivery_price_changed_after_the_page_is_a_409_with_the_new_total(client, shop_ng, channel_ngn):
    option = DeliveryOption.objects.get(channel=channel_ngn)
    option.free_above = None
    option.save()
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    option.price = Decimal("5000")
    option.save()

    response = client.post(URL.format(code="ng"), fields)

    assert response.status_code == 409
    assert "Your order total has changed" in response.content.decode()
    assert nothing_written()
    again = {**form_data(response), "email": "ada@example.com", **ADDRESS}
    assert again[f"expected_total-{fields['method_code']}"] == "135275.00"  # 5,000 + VAT now
    assert client.post(URL.format(code="ng"), again).status_code == 302
    assert Order.objects.get().total_incl_tax == Decimal("135275.00")


def test_a_listing_price_changed_after_the_page_is_a_409(client, shop_ng):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    StockRecord.objects.filter(pk=shop_ng.pk).update(price=Decimal("100000"))

    response = client.post(URL.format(code="ng"), fields)

    assert response.status_code == 409
    assert "has changed" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize("total", ["NaN", "sNaN", "Infinity", "1e999999", "9" * 40, "-129900", "١٢٩٩٠٠", "129 900",
                                   ""])
def test_a_malformed_total_is_a_400(client, shop_ng, total):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    fields[f"expected_total-{fields['method_code']}"] = total

    response = client.post(URL.format(code="ng"), fields)

    assert response.status_code == 400
    assert "Your order total is missing or malformed" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"line1": "x" * 100_000}, "line1"),
    ({"email": "a" * 5000 + "@example.com"}, "email"),
    ({"phone_number": "+254712345678"}, "phone_number"),  # valid, but Kenyan: not delivered here
    ({"phone_number": "١٢٣٤٥"}, "phone_number"),
    ({"method_code": "express-999999999999999999999"}, "method_code"),
    ({"option": "NaN"}, "option"),
    ({"option": "٣"}, "option"),
    ({"country": "KE"}, "country"),
])
def test_bad_input_is_a_400_with_the_error_and_writes_nothing(client, shop_ng, overrides, field):
    add(client, "ng", shop_ng)

    response = client.post(URL.format(code="ng"), guest_fields(client, **overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors.get(field), errors
    html = response.content.decode()
    assert f'id="{FORM_ID}"' in html
    if field not in ("method_code", "option"):
        # The input says it is invalid and points at its error.
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html) and f'id="id_{field}_error"' in html
    assert nothing_written()


@pytest.mark.parametrize("overrides", [{"first_name": "Ada\x00"}, {"line4": "Lagos\x00"},
                                       {"method_code": "home-1\x00"}, {"email": "ada@example.com\x00"}])
def test_a_nul_byte_is_a_400_and_writes_nothing(client, shop_ng, overrides):
    add(client, "ng", shop_ng)

    response = client.post(URL.format(code="ng"), guest_fields(client, **overrides))

    assert response.status_code == 400
    assert nothing_written()


def test_another_channels_payment_option_is_a_400(client, shop_ng, channel_xof):
    foreign = pay_on_delivery(channel_xof)
    add(client, "ng", shop_ng)

    response = client.post(URL.format(code="ng"), guest_fields(client, option=str(foreign.pk)))

    assert response.status_code == 400
    assert response.context["form"].errors["option"] == ["Choose one of the payment methods offered."]
    assert nothing_written()


def test_a_payment_option_over_its_cap_is_a_400(client, shop_ng, channel_ngn):
    pay_on_delivery(channel_ngn).__class__.objects.filter(channel=channel_ngn).update(max_order_total=Decimal("1000"))
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    assert "option" not in fields  # not offered on the page
    option = pay_on_delivery(channel_ngn)

    response = client.post(URL.format(code="ng"), {**fields, "option": str(option.pk)})

    assert response.status_code == 400 and nothing_written()


def test_a_forged_checkout_key_is_a_400(client, shop_ng):
    add(client, "ng", shop_ng)

    response = client.post(URL.format(code="ng"), guest_fields(client, checkout_key="guess"))

    assert response.status_code == 400
    assert "This order form has expired" in response.content.decode()
    assert nothing_written()


def test_an_empty_basket_is_sent_to_the_basket_with_the_reason(client, shop_ng):
    for response in (client.get(URL.format(code="ng"), follow=True),
                     client.post(URL.format(code="ng"), {**ADDRESS, "email": "ada@example.com"}, follow=True)):
        assert response.redirect_chain == [("/ng/basket/", 302)]
        assert "You need to add some items to your basket to checkout" in response.content.decode()
    assert nothing_written()


def test_a_line_no_longer_available_is_sent_to_the_basket(client, shop_ng):
    add(client, "ng", shop_ng)
    fields = guest_fields(client)
    StockRecord.objects.filter(pk=shop_ng.pk).update(num_in_stock=0)

    for response in (client.get(URL.format(code="ng"), follow=True),
                     client.post(URL.format(code="ng"), fields, follow=True)):
        assert response.redirect_chain == [("/ng/basket/", 302)]
        assert "is no longer available to buy" in response.content.decode()
    assert nothing_written()


def test_an_online_payment_goes_to_the_provider_as_the_step_checkout_does(client, shop_ci, channel_xof):
    from marketplace.payments.models import PaymentOption
    from marketplace.payments.services import payment_redirect_url

    orange = PaymentOption.objects.get_or_create(channel=channel_xof, method="orange_money",
                                                 defaults={"provider": "sandbox"})[0]
    add(client, "ci", shop_ci)
    fields = guest_fields(client, "ci", phone_number=PHONES["CI"], line4="Abidjan", option=str(orange.pk))

    response = client.post(URL.format(code="ci"), fields)

    assert response.status_code == 302
    order = Order.objects.get()
    assert response["Location"] == payment_redirect_url(order) != "/ci/checkout/thank-you/"


def test_the_french_channel_speaks_french(client, shop_ci):
    from marketplace.localisation.models import ProductTranslation

    ProductTranslation.objects.create(parent=shop_ci.product, language="fr", title="Redmi Note 13 (en français)")
    add(client, "ci", shop_ci)

    page = client.get(URL.format(code="ci")).content.decode()

    assert "Passer commande" in page and "Contact et adresse de livraison" in page
    assert "Redmi Note 13 (en français)" in page
    assert "Place order" not in page
    response = client.post(URL.format(code="ci"),
                           guest_fields(client, "ci", line4="Abidjan", phone_number=PHONES["NG"]))
    assert response.status_code == 400
    assert "Ce numéro de téléphone n’est pas valide pour" in response.content.decode()
    assert nothing_written()


def test_other_methods_are_refused(client, shop_ng):
    add(client, "ng", shop_ng)

    assert client.put(URL.format(code="ng")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_place_one_order(postgres, shop_ng):
    import threading

    from django.db import connections
    from django.test import Client

    first = Client()
    add(first, "ng", shop_ng)
    fields = guest_fields(first)
    start = threading.Barrier(4)
    answers, errors = [], []

    def submit():
        tab = Client()
        tab.cookies = first.cookies  # the same browser: its session and basket
        try:
            start.wait()
            answers.append(tab.post(URL.format(code="ng"), fields))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    tabs = [threading.Thread(target=submit) for _ in range(4)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=120)

    assert not errors, errors[:2]
    # Each tab is sent on: to the order's confirmation, or (its basket ordered by another
    # tab before it read the session) to the basket; none is refused, one order is placed.
    assert sorted({answer.status_code for answer in answers}) == [302]
    assert "/ng/checkout/thank-you/" in {answer["Location"] for answer in answers}
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(pk=shop_ng.pk).num_allocated == 1


def test_a_line_another_store_holds_an_exclusive_on_is_sent_to_the_basket(
    client, channel_ngn, official_store, third_party_seller
):
    from tests.exclusives.conftest import make_rule

    product = factories.product("Redmi Note 13 Pro")
    factories.listing(product, third_party_seller, channel_ngn, "120837.21", stock=5)
    home_delivery(channel_ngn)
    pay_on_delivery(channel_ngn)
    assert client.post(f"/ng/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    fields = guest_fields(client)
    make_rule(product, official_store, [channel_ngn])

    for response in (client.get(URL.format(code="ng"), follow=True),
                     client.post(URL.format(code="ng"), fields, follow=True)):
        assert response.redirect_chain == [("/ng/basket/", 302)]
        assert "is no longer available to buy" in response.content.decode()
    assert nothing_written()

"""Orders by text message and WhatsApp to a partner shop's number, through the sandbox
provider's signed webhook (issue 12, item 6): the request, the replies, the order placed
from it in one step, and every malformed, forged or replayed message."""

import time

import pytest
from django.db import connection

from marketplace.messaging.models import InboundMessage, OutboundMessage, SandboxMessage
from marketplace.messaging.providers import get_provider
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from marketplace.payments.models import Payment
from marketplace.retail import by_message
from marketplace.retail.models import OrderRequest, RetailOrder
from tests.messaging.conftest import _messaging_settings  # noqa: F401  (autouse: the sandbox)
from tests.payments.conftest import option

from .conftest import make_shop

pytestmark = pytest.mark.django_db

URL = "/messaging/inbound/sandbox/"
SHOPPER = "+2348051234567"
_ids = iter(range(1, 10**6))


def text(client, body_text, *, to="+2348031234567", sender="08051234567", medium="sms",
         message_id=None, timestamp=None):
    payload = {"message_id": message_id or f"in-{next(_ids)}", "medium": medium, "from": sender,
               "to": to, "text": body_text}
    body, headers = get_provider("sandbox").signed(payload, timestamp=timestamp)
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def replies():
    return list(SandboxMessage.objects.order_by("pk").values_list("to", "text"))


def nothing_written():
    return not (InboundMessage.objects.exists() or OrderRequest.objects.exists()
                or OutboundMessage.objects.exists() or Order.objects.exists())


@pytest.fixture
def texting(client, django_capture_on_commit_callbacks):
    def send(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return text(client, *args, **kwargs)
    return send


def test_a_text_becomes_an_order_request_and_the_shopper_gets_a_reply(texting, lagos_shop, shop_phone):
    response = texting(f"order {shop_phone.partner_sku} 2")
    assert response.status_code == 200 and response.json() == {"ok": True, "duplicate": False}
    request = OrderRequest.objects.get()
    assert (request.retailer, request.listing, request.quantity) == (lagos_shop, shop_phone, 2)
    assert request.phone == SHOPPER and request.medium == "sms" and request.status == "new"
    [(to, reply)] = replies()
    assert to == SHOPPER
    assert f"R-{request.pk}" in reply and "Ikeja Phones" in reply
    assert "₦215,000.00" in reply  # 2 × ₦100,000 + 7.5% VAT, as the shop's page shows it
    # Asking is not buying: no stock is held until the shop places the order.
    assert StockRecord.objects.get(pk=shop_phone.pk).num_allocated in (0, None)


def test_a_retried_or_replayed_webhook_makes_one_request_and_one_reply(client, texting, lagos_shop, shop_phone):
    first = texting(f"ORDER {shop_phone.partner_sku} 1", message_id="wamid.1")
    # The provider re-sends it, then an attacker replays it re-signed a minute later.
    again = texting(f"ORDER {shop_phone.partner_sku} 1", message_id="wamid.1")
    later = texting(f"ORDER {shop_phone.partner_sku} 1", message_id="wamid.1",
                    timestamp=int(time.time()) + 60)
    assert [r.status_code for r in (first, again, later)] == [200, 200, 200]
    assert again.json()["duplicate"] and later.json()["duplicate"]
    assert OrderRequest.objects.count() == 1 and len(replies()) == 1


def test_whatsapp_goes_to_the_shop_with_that_whatsapp_number(texting, channel_ngn, shop_phone, lagos_shop):
    lagos_shop.whatsapp = "+2348091234567"
    lagos_shop.save()
    response = texting(f"ORDER {shop_phone.partner_sku}", to="whatsapp:+2348091234567",
                       sender="whatsapp:+2348051234567", medium="whatsapp")
    assert response.status_code == 200
    request = OrderRequest.objects.get()
    assert request.medium == "whatsapp" and request.quantity == 1
    assert OutboundMessage.objects.get().medium == "whatsapp"


def test_the_reply_is_in_the_language_of_the_order_word_when_the_channel_offers_it(
    texting, channel_xof,
):
    from tests import factories

    shop = make_shop(channel_xof, "Cocody Mobiles", city="Abidjan", phone="+2250701020304",
                     districts=())
    listing = factories.listing(factories.product("Redmi 13"), shop.partner, channel_xof, "95000", stock=3)
    assert texting(f"COMMANDE {listing.partner_sku} 1", to="+2250701020304",
                   sender="0707070707").status_code == 200
    [(_to, reply)] = replies()
    assert "a reçu votre demande de commande" in reply and "F\u202fCFA" in reply


@pytest.mark.parametrize(("message", "expected"), [
    ("hello", "To order, send ORDER"),
    ("ORDER", "To order, send ORDER"),
    ("ORDER NOPE 1", "has no item with the code “NOPE”"),
    ("ORDER مرحبا 1", "has no item with the code"),
    ("ORDER {sku} NaN", "quantity from 1 to 20"),
    ("ORDER {sku} sNaN", "quantity from 1 to 20"),
    ("ORDER {sku} 1e9", "quantity from 1 to 20"),
    ("ORDER {sku} 99999999999999999999", "quantity from 1 to 20"),
    ("ORDER {sku} 0", "quantity from 1 to 20"),
    ("ORDER {sku} -1", "quantity from 1 to 20"),
    ("ORDER {sku} 2.5", "quantity from 1 to 20"),
    ("ORDER {sku} 6", "has only 5"),
])
def test_a_message_that_cannot_be_an_order_gets_a_polite_reply_and_no_request(
    texting, lagos_shop, shop_phone, message, expected,
):
    response = texting(message.format(sku=shop_phone.partner_sku))
    assert response.status_code == 200
    assert not OrderRequest.objects.exists()
    [(_to, reply)] = replies()
    assert expected in reply


def test_arabic_indic_digits_are_a_quantity(texting, lagos_shop, shop_phone):
    assert texting(f"ORDER {shop_phone.partner_sku} ٣").status_code == 200
    assert OrderRequest.objects.get().quantity == 3


def post_raw(client, body, headers):
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def signed(payload, **kwargs):
    return get_provider("sandbox").signed(payload, **kwargs)


def payload(**changes):
    return {"message_id": "m-1", "medium": "sms", "from": SHOPPER, "to": "+2348031234567",
            "text": "ORDER X 1", **changes}


@pytest.mark.parametrize("case", [
    "unsigned", "bad-signature", "stale", "future", "unknown-shop", "landline-shop", "bad-sender",
    "nul", "not-json", "not-utf8", "huge", "unknown-provider", "inactive-shop",
])
def test_forged_replayed_or_malformed_messages_are_4xx_and_write_nothing(client, lagos_shop, shop_phone, case):
    body, headers = signed(payload())
    url = URL
    if case == "unsigned":
        headers = {}
    elif case == "bad-signature":
        headers["X-Sandbox-Signature"] = "ab" * 32
    elif case == "stale":
        body, headers = signed(payload(), timestamp=int(time.time()) - 3600)
    elif case == "future":
        body, headers = signed(payload(), timestamp=int(time.time()) + 3600)
    elif case == "unknown-shop":
        body, headers = signed(payload(to="+2348099999999"))
    elif case == "landline-shop":
        body, headers = signed(payload(to="+23412345678"))
    elif case == "bad-sender":
        body, headers = signed(payload(**{"from": "MTN-PROMO"}))
    elif case == "nul":
        body, headers = signed(payload(text="ORDER \u0000 1"))
    elif case == "not-json":
        body = b"ORDER X 1"
        headers = signed(payload())[1]
        from marketplace.messaging.providers.base import sign
        headers["X-Sandbox-Signature"] = sign(b"test-messaging-secret", headers["X-Sandbox-Timestamp"], body)
    elif case == "not-utf8":
        from marketplace.messaging.providers.base import sign
        body = b'{"text": "\xff\xfe"}'
        headers["X-Sandbox-Signature"] = sign(b"test-messaging-secret", headers["X-Sandbox-Timestamp"], body)
    elif case == "huge":
        body, headers = signed(payload(text="x" * 20_000))
    elif case == "unknown-provider":
        url = "/messaging/inbound/twilio/"
    elif case == "inactive-shop":
        lagos_shop.is_active = False
        lagos_shop.save()
    response = client.post(url, data=body, content_type="application/json", headers=headers)
    assert 400 <= response.status_code < 500, (case, response.status_code)
    assert nothing_written()


def test_only_post(client):
    assert client.get(URL).status_code == 405


# Placing the order from the request ------------------------------------------------------


@pytest.fixture
def order_request(texting, lagos_shop, shop_phone):
    texting(f"ORDER {shop_phone.partner_sku} 2")
    return OrderRequest.objects.get()


def place(order_request, payment, **kwargs):
    fields = {"handover": "delivery", "first_name": "Ada", "last_name": "Obi",
              "line1": "12 Allen Avenue", "city": "Lagos", "district": "Ikeja", **kwargs}
    return by_message.order_request_place(order_request, payment_option=payment, **fields)


def test_the_shop_places_the_order_in_one_step_and_the_shopper_gets_a_payment_link(
    order_request, channel_ngn, shop_phone, django_capture_on_commit_callbacks, client,
):
    card = option(channel_ngn, "card")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(order_request, card)
    order_request.refresh_from_db()
    assert order_request.order == order and order_request.status == "ordered"
    assert StockRecord.objects.get(pk=shop_phone.pk).num_allocated == 2
    retail = RetailOrder.objects.get(order=order)
    assert retail.retailer == order_request.retailer and retail.handover == "delivery"
    assert order.shipping_address.phone_number == order_request.phone
    reply = SandboxMessage.objects.get(to=SHOPPER, key=f"request-placed:{order_request.pk}").text
    assert order.number in reply
    assert "₦215,000.00" in reply
    link = reply.split("Pay here: ")[1].split()[0]
    assert link.startswith("http") and "/ng/payments/" in link and link.endswith("/pay/")
    # Opening the link (or a messaging app's preview of it) shows what is to be paid and
    # starts nothing; its button starts the payment at the provider: the sandbox's card page.
    path = link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    response = client.get(path)
    assert response.status_code == 200 and order.number in response.content.decode()
    assert not Payment.objects.filter(order=order).exclude(redirect_url="").exists()
    response = client.post(path)
    assert response.status_code == 302 and "/payments/sandbox/" in response["Location"]
    assert client.post(path)["Location"] == response["Location"]  # started once
    # Placed again (a double click, a second tab): the same order, no second reply.
    with django_capture_on_commit_callbacks(execute=True):
        assert place(order_request, card) == order
    assert Order.objects.count() == 1
    assert SandboxMessage.objects.filter(text__contains="Pay here").count() == 1
    # And the shop's order texts (item 5's steps) went to the shopper's number as well.
    assert SandboxMessage.objects.filter(to=SHOPPER, key__startswith="retail-order:").exists()


def test_pay_on_delivery_links_the_order_page(order_request, channel_ngn, django_capture_on_commit_callbacks):
    from tests.checkout.builders import pay_on_delivery

    with django_capture_on_commit_callbacks(execute=True):
        order = place(order_request, pay_on_delivery(channel_ngn), handover="pickup")
    assert RetailOrder.objects.get(order=order).handover == "pickup"
    reply = SandboxMessage.objects.get(key=f"request-placed:{order_request.pk}").text
    assert "to pay on delivery" in reply and order.number in reply


def test_a_refused_placement_writes_nothing(order_request, channel_ngn, shop_phone):
    from tests.checkout.builders import pay_on_delivery

    shop_phone.num_in_stock = 1
    shop_phone.save()
    before = (Order.objects.count(), OutboundMessage.objects.count())
    with pytest.raises(by_message.RequestRefused):
        place(order_request, pay_on_delivery(channel_ngn))
    with pytest.raises(by_message.RequestRefused):
        place(order_request, option(channel_ngn, "card"), line1="", city="")
    order_request.refresh_from_db()
    assert order_request.status == "new" and order_request.order is None
    assert (Order.objects.count(), OutboundMessage.objects.count()) == before
    assert StockRecord.objects.get(pk=shop_phone.pk).num_allocated in (0, None)


def test_declined_the_shopper_is_told_once(order_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        by_message.order_request_decline(order_request)
        by_message.order_request_decline(order_request)
    assert SandboxMessage.objects.filter(text__contains="cannot take your order request").count() == 1


@pytest.mark.postgres
def test_two_shops_staff_placing_the_last_units_at_once_never_oversell(
    postgres, transactional_db, client, lagos_shop, shop_phone, channel_ngn,
):
    from tests.checkout.builders import pay_on_delivery
    from tests.payments.test_concurrency import at_once

    pod = pay_on_delivery(channel_ngn)
    for _ in range(2):
        text(client, f"ORDER {shop_phone.partner_sku} 3")
    first, second = OrderRequest.objects.order_by("pk")
    results = at_once([lambda: place(first, pod), lambda: place(second, pod),
                       lambda: place(first, pod)])
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, by_message.RequestRefused)]
    assert len(orders) + len(refused) == 3 and len({o.pk for o in orders}) == 1, results
    # Whichever request won holds the units: the other is refused, and a repeat of the
    # first request answers with the first's order when it won, or is refused with it.
    first.refresh_from_db()
    second.refresh_from_db()
    winner, loser = (first, second) if first.order_id else (second, first)
    assert winner.order_id == orders[0].pk and loser.order_id is None, results
    assert len(refused) == (1 if winner is first else 2), results
    assert StockRecord.objects.get(pk=shop_phone.pk).num_allocated == 3
    assert Order.objects.count() == 1


@pytest.mark.postgres
def test_one_message_delivered_by_many_workers_at_once_is_one_request(
    postgres, transactional_db, lagos_shop, shop_phone,
):
    from marketplace.messaging.services import inbound_receive
    from tests.payments.test_concurrency import at_once

    body, headers = signed(payload(text=f"ORDER {shop_phone.partner_sku} 1", message_id="storm"))
    results = at_once([lambda: inbound_receive(provider_code="sandbox", body=body, headers=headers)[1]] * 6)
    assert sorted(results) == [False] * 5 + [True], results
    assert OrderRequest.objects.count() == 1 and OutboundMessage.objects.count() == 1
    assert connection.vendor == "postgresql"


def test_a_number_two_active_shops_answer_on_routes_to_neither(texting, lagos_shop, shop_phone, channel_ngn):
    """A shop that put a rival's number on its profile never receives the rival's orders."""
    make_shop(channel_ngn, "Copycat Phones", phone=lagos_shop.phone)

    response = texting(f"ORDER {shop_phone.partner_sku} 1")

    assert 400 <= response.status_code < 500
    assert nothing_written()


def test_the_shop_form_refuses_a_number_another_active_shop_answers_on(lagos_shop, channel_ngn):
    from django.forms.models import model_to_dict

    from marketplace.retail.forms import RetailerForm

    rival = make_shop(channel_ngn, "Yaba Mobile", phone="+2348071234567")
    data = {k: v for k, v in model_to_dict(rival).items() if v is not None and k != "photo"}
    data.update(phone="0803 123 4567", brands=[])  # the Lagos shop's number, written nationally
    form = RetailerForm(data=data, instance=rival)
    assert not form.is_valid()
    assert form.errors["phone"] == ["Another shop already uses this number."]

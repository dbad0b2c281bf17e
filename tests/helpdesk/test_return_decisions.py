"""The shopper is told by e-mail, once and in the language they asked in, that their return is
approved (what to do, what comes back) or refused (why); the help page says how returns work."""

import pytest
from django.core import mail

from marketplace.helpdesk import return_rules as rr
from marketplace.helpdesk.emails import return_decision_send
from marketplace.helpdesk.models import HelpDesk, ReturnRequest
from marketplace.helpdesk.returns import return_create, return_decide, return_receive
from marketplace.stores.models import ProductBrand
from tests import factories
from tests.aftersales.conftest import phone_ng, plan, plan_ng, shopper  # noqa: F401  (fixtures)

from .test_returns import _sandbox, agent, change, order_with_plan, product_line  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

# ruff: noqa: F811  (the fixtures imported above are arguments of the tests)


def ask(order, *, language="en", quantity=1):
    return return_create(order=order, line_id=product_line(order).pk, quantity=quantity, reason="It overheats",
                         today=order.channel.today(), language=language)


def test_an_approval_is_e_mailed_once_with_what_comes_back(channel_ngn, phone_ng, plan_ng, shopper, agent,
                                                           django_capture_on_commit_callbacks):
    order = order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper, quantity=1)
    item = ask(order)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(agent, item, rr.APPROVED).status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ada@example.com"] and sent.subject == f"Your return {item.reference} is approved"
    assert f"reference {item.reference} written on the parcel" in sent.body
    assert "we refund you ₦177,375.00" in sent.body  # the phone and its plan, as paid
    assert f"/ng/accounts/orders/{order.number}/" in sent.body
    item.refresh_from_db()
    assert item.notified == rr.APPROVED
    # Asked again (a task run twice, the same decision saved again), nothing more is sent.
    assert return_decision_send(return_id=item.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        return_decide(return_id=item.pk, approve=True)
        return_receive(return_id=item.pk)  # received: the refund's e-mail tells the rest
    assert len(mail.outbox) == 1


def test_a_refusal_is_e_mailed_with_its_reason_in_the_shoppers_language(
    channel_xof, official_store, phones, django_capture_on_commit_callbacks,
):
    product = factories.product("Redmi 13C", category=phones)
    ProductBrand.objects.create(product=product, brand=official_store.brand)
    listing = factories.listing(product, official_store, channel_xof, "100000", stock=5)
    order = order_with_plan(channel_xof, listing, plan(channel_xof, categories=[phones]), user=None)
    item = ask(order, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        return_decide(return_id=item.pk, approve=False, refusal_reason="Écran rayé par une chute")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["guest@example.com"]
    assert sent.subject == f"Votre retour {item.reference} est refusé"
    assert "Il est refusé, pour cette raison :" in sent.body and "Écran rayé par une chute" in sent.body
    # A guest's order: the link is its order status page, with the order's signed hash.
    assert f"/ci/accounts/order-status/{order.number}/{order.verification_hash()}/" in sent.body
    assert ReturnRequest.objects.get().notified == rr.REFUSED


def test_a_request_still_waiting_is_not_e_mailed(channel_ngn, phone_ng, plan_ng, shopper):
    item = ask(order_with_plan(channel_ngn, phone_ng, plan_ng, user=shopper))
    assert return_decision_send(return_id=item.pk) is False
    assert mail.outbox == []


def test_the_help_page_says_how_to_return_and_how_refunds_come_back(client, channel_ngn):
    HelpDesk.objects.create(channel=channel_ngn, phone="+234 1 000", email="help@example.com", days="Mon–Fri",
                            opens_at="08:00", closes_at="18:00", return_days=10)
    page = client.get("/ng/help/").content.decode()
    assert "Within 10 days of delivery, ask for it on your order" in page
    assert 'href="/ng/orders/lookup/"' in page and 'href="/ng/accounts/orders/"' in page
    assert "When do I get my money back?" in page and "Paid on delivery, customer service pays you back" in page

"""An invoice per order (its plan lines with their tax, in the channel's currency and
language), linked from the e-mail and the order page; the shopper's help requests there too."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from marketplace.channels.context import storefront
from marketplace.channels.money import format_money
from marketplace.helpdesk.models import HelpMessage
from marketplace.helpdesk.services import agent_reply, help_request_open
from marketplace.order import invoices
from tests import factories
from tests.checkout.builders import place

from .conftest import plan
from .test_plan_lines import with_plan

pytestmark = pytest.mark.django_db


def invoice_path(order, language=None):
    with storefront(order.channel, language):
        return invoices.invoice_path(order)


def test_the_invoice_lists_the_plan_line_with_its_tax(client, channel_ngn, phone_ng, plan_ng):
    basket, _line = with_plan(channel_ngn, phone_ng, plan_ng, quantity=2)
    order = place(channel_ngn, basket).order

    page = client.get(invoice_path(order))

    assert page.status_code == 200
    html = page.content.decode()
    plan_row = html[html.index('class="invoice-plan"'):]
    plan_row = plan_row[:plan_row.index("</tr>")]
    assert "1-year extended warranty for Redmi Note 13" in plan_row
    # Two plans: ₦15,000 each before tax, ₦2,250 tax (7.5 %), ₦32,250 in all.
    for amount in ("₦15,000.00", "₦30,000.00", "₦2,250.00", "₦32,250.00"):
        assert amount in plan_row, amount
    assert f"{order.total_incl_tax:,}" in html.replace("₦", "")


def test_an_xof_invoice_is_in_french_without_decimals(client, channel_xof, official_store, phones):
    listing = factories.listing(factories.product("Redmi 13C", category=phones), official_store, channel_xof,
                                "90000", stock=5)
    basket, _line = with_plan(channel_xof, listing, plan(channel_xof, categories=[phones]))
    order = place(channel_xof, basket).order
    plan_line = order.lines.get(parent_line__isnull=False)

    html = client.get(invoice_path(order)).content.decode()

    assert "Facture" in html or "facture" in html
    assert format_money(plan_line.line_price_incl_tax, "XOF", "fr", "CI") in html
    assert not re.search(r"\d,\d\d\s*F\s*CFA", html)  # never centimes


def test_a_wrong_key_or_channel_finds_no_invoice(client, channel_ngn, channel_kes, phone_ng, plan_ng):
    basket, _line = with_plan(channel_ngn, phone_ng, plan_ng)
    order = place(channel_ngn, basket).order
    path = invoice_path(order)

    assert client.get(path[:-3] + "abc/").status_code == 404
    assert client.get(path.replace(f"/{channel_ngn.code}/", f"/{channel_kes.code}/", 1)).status_code == 404
    assert client.get(f"/ng/orders/{order.number}/invoice/%00/").status_code in (400, 404)


def test_the_confirmation_email_links_the_invoice(channel_ngn, phone_ng, plan_ng, django_capture_on_commit_callbacks):
    basket, _line = with_plan(channel_ngn, phone_ng, plan_ng)

    with django_capture_on_commit_callbacks(execute=True):
        order = place(channel_ngn, basket).order

    assert invoice_path(order) in mail.outbox[0].body
    assert any(invoice_path(order) in html for html, _type in mail.outbox[0].alternatives)


def test_the_order_page_links_the_invoice_and_the_shoppers_help_replies(client, channel_ngn, phone_ng, plan_ng,
                                                                         shopper, django_user_model):
    basket, _line = with_plan(channel_ngn, phone_ng, plan_ng)
    order = place(channel_ngn, basket, user=shopper).order
    request = help_request_open(channel=channel_ngn, user=shopper, name="Ada", email=shopper.email,
                                topic="delivery", body="Where is it?", order_number=order.number, language="en")
    agent = django_user_model.objects.create_user("agent", "agent@example.com", "pw")
    agent_reply(request=request, agent=agent, body="On its way: tomorrow.")
    client.force_login(shopper)

    html = client.get(f"/ng/accounts/orders/{order.number}/").content.decode()

    assert invoice_path(order) in html
    assert request.reference in html and "1 reply" in html
    thread = re.search(rf'href="(/ng/help/requests/{request.reference}/[^"]+)"', html).group(1)
    assert "On its way: tomorrow." in client.get(thread).content.decode()
    assert HelpMessage.objects.filter(request=request, from_agent=True).count() == 1
    assert Decimal(order.total_incl_tax) > 0

"""The help page, the contact queue, agents' replies by e-mail and on the request's page."""

import re
from datetime import time

import pytest
from django.core import mail

from marketplace.helpdesk.models import HelpDesk, HelpDeskTranslation, HelpMessage, HelpRequest
from marketplace.memberships.services import membership_grant
from tests import factories
from tests.checkout.builders import basket_with, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_ke(channel_kes):
    desk = HelpDesk.objects.create(
        channel=channel_kes, phone="+254 20 765 0000", whatsapp="+254 711 000 111", email="help.ke@example.com",
        days="Monday to Saturday", opens_at=time(8), closes_at=time(19), return_days=7,
    )
    HelpDeskTranslation.objects.create(parent=desk, language="sw", days="Jumatatu hadi Jumamosi")
    return desk


@pytest.fixture
def order_ke(official_store, channel_kes):
    phone = factories.product("Redmi Note 13")
    factories.listing(phone, official_store, channel_kes, "25999.00")
    return place(channel_kes, basket_with(channel_kes, (phone, 1))).order


def thread_url(response):
    assert response.status_code == 302, response.content[:300]
    assert re.fullmatch(r"/ke/(sw/)?help/requests/KE-H[2-9A-Z]{6}/[^/]+/", response["Location"])
    return response["Location"]


def test_the_help_page_shows_contacts_and_hours_in_the_channels_languages(client, desk_ke):
    english = client.get("/ke/help/").content.decode()
    swahili = client.get("/ke/sw/help/").content.decode()

    assert "+254 20 765 0000" in english and "help.ke@example.com" in english
    assert "Monday to Saturday, 08:00 to 19:00 (Kenya Time)" in english
    assert "Jumatatu hadi Jumamosi" in swahili
    assert "Within 7 days of delivery" in english


def test_a_guest_writes_about_their_order_and_gets_a_reference(client, desk_ke, order_ke):
    response = client.post("/ke/help/contact/", {
        "name": "Wanjiru", "email": "guest@example.com", "topic": "delivery",
        "order_number": order_ke.number.lower(), "body": "Where is my phone?",
    })

    page = client.get(thread_url(response)).content.decode()
    request = HelpRequest.objects.get()
    assert request.order == order_ke and request.channel == order_ke.channel and request.language == "en"
    assert request.reference in page and "Where is my phone?" in page


def test_another_shoppers_order_is_a_400_and_nothing_is_written(client, desk_ke, order_ke):
    response = client.post("/ke/help/contact/", {
        "name": "Eve", "email": "eve@example.com", "topic": "delivery",
        "order_number": order_ke.number, "body": "Give me their address",
    })

    assert response.status_code == 400
    assert "No order here matches" in response.content.decode()
    assert not HelpRequest.objects.exists() and not HelpMessage.objects.exists()


@pytest.mark.parametrize("body", ["", "x" * 4001])
def test_a_bad_message_is_a_400(client, desk_ke, body):
    response = client.post("/ke/help/contact/", {"name": "A", "email": "a@example.com", "topic": "other",
                                                 "body": body})
    assert response.status_code == 400 and not HelpRequest.objects.exists()


def test_a_forged_token_is_a_404(client, desk_ke):
    url = thread_url(client.post("/ke/help/contact/", {"name": "A", "email": "a@example.com",
                                                        "topic": "other", "body": "Hello"}))
    reference = url.split("/")[4]

    assert client.get(f"/ke/help/requests/{reference}/forged/").status_code == 404
    assert client.post(f"/ke/help/requests/{reference}/forged/", {"body": "hi"}).status_code == 404
    assert client.get(url.replace("/ke/", "/ng/")).status_code == 404
    assert HelpMessage.objects.count() == 1


def test_an_agent_replies_from_the_admin_the_shopper_reads_it_and_answers(
    client, desk_ke, channel_kes, django_user_model, django_capture_on_commit_callbacks
):
    url = thread_url(client.post("/ke/sw/help/contact/", {"name": "Wanjiru", "email": "w@example.com",
                                                           "topic": "warranty", "body": "Skrini imevunjika"}))
    request = HelpRequest.objects.get()
    agent = django_user_model.objects.create_user("agent.ke", "agent@example.com", "pw")
    membership_grant(user=agent, channel=channel_kes, kind="agent")
    from django.test import Client

    back_office = Client()
    back_office.force_login(agent)
    assert back_office.get("/admin/helpdesk/helprequest/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = back_office.post(f"/admin/helpdesk/helprequest/{request.pk}/change/",
                                    {"status": "answered", "reply": "Lete simu kituoni Nairobi."})
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["w@example.com"] and request.reference in mail.outbox[0].subject
    assert url in mail.outbox[0].body and "Lete simu kituoni Nairobi." in mail.outbox[0].body
    assert HelpMessage.objects.get(from_agent=True).emailed_at is not None
    assert "Lete simu kituoni Nairobi." in client.get(url).content.decode()
    assert client.post(url, {"body": "Asante!"}).status_code == 302
    request.refresh_from_db()
    assert request.status == HelpRequest.OPEN and request.messages.count() == 3


def test_sending_a_reply_twice_sends_one_email(desk_ke, channel_kes, django_user_model):
    from marketplace.helpdesk.emails import reply_email_send
    from marketplace.helpdesk.services import agent_reply, help_request_open

    request = help_request_open(channel=channel_kes, user=None, name="A", email="a@example.com",
                                topic="other", body="Hi", language="en")
    message = agent_reply(request=request, agent=None, body="Hello")

    assert reply_email_send(message_id=message.pk) is True
    assert reply_email_send(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_agents_see_their_channels_queue_only_and_nothing_of_the_operators(
    client, desk_ke, channel_kes, channel_ngn, django_user_model
):
    from marketplace.helpdesk.services import help_request_open

    kenyan = help_request_open(channel=channel_kes, user=None, name="A", email="a@example.com",
                               topic="other", body="Hi", language="en")
    nigerian = help_request_open(channel=channel_ngn, user=None, name="B", email="b@example.com",
                                 topic="other", body="Hi", language="en")
    agent = django_user_model.objects.create_user("agent.ke", "agent@example.com", "pw")
    membership_grant(user=agent, channel=channel_kes, kind="agent")
    client.force_login(agent)

    listed = client.get("/admin/helpdesk/helprequest/")
    assert set(listed.context_data["cl"].queryset) == {kenyan}
    assert client.get(f"/admin/helpdesk/helprequest/{nigerian.pk}/change/").status_code in (403, 404)
    assert client.post(f"/admin/helpdesk/helprequest/{nigerian.pk}/change/",
                       {"status": "closed", "reply": "x"}).status_code in (403, 404)
    assert not HelpMessage.objects.filter(from_agent=True).exists()
    # An agent is not the country's operator: no orders, listings or delivery options.
    for page in ("/admin/order/order/", "/admin/partner/stockrecord/", "/admin/delivery/deliveryoption/"):
        assert client.get(page).status_code == 403, page
    assert client.get(f"/admin/helpdesk/helpdesk/{desk_ke.pk}/change/").context_data[
        "has_change_permission"] is False


def test_a_seller_sees_requests_about_its_orders_read_only(client, desk_ke, order_ke, django_user_model):
    from marketplace.helpdesk.services import help_request_open

    about_order = help_request_open(channel=order_ke.channel, user=None, name="A", email="guest@example.com",
                                    topic="delivery", body="Hi", language="en", order_number=order_ke.number)
    help_request_open(channel=order_ke.channel, user=None, name="B", email="b@example.com",
                      topic="other", body="Hi", language="en")
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw")
    membership_grant(user=clerk, seller=order_ke.lines.get().partner)
    client.force_login(clerk)

    assert set(client.get("/admin/helpdesk/helprequest/").context_data["cl"].queryset) == {about_order}
    page = client.get(f"/admin/helpdesk/helprequest/{about_order.pk}/change/")
    assert page.status_code == 200 and page.context_data["has_change_permission"] is False

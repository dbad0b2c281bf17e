"""
The partner retailer role: a seller membership of a shop's seller. It sees and changes
only its own shop, listings, orders and shop orders, answers its orders in the admin and
enters the delivery code; everything else is denied (own and foreign objects).
"""

import pytest

from marketplace.order import statuses
from marketplace.retail.models import RetailOrder

from .test_permission_matrix import check_foreign, urls

pytestmark = pytest.mark.django_db

# The partner-shop world (tests/backoffice/conftest.py: retail_world).


def listed(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return set(response.context_data["cl"].queryset.values_list("pk", flat=True))


def model_of(label):
    from django.apps import apps

    return apps.get_model(label)


@pytest.mark.parametrize("label, own, foreign", [
    ("retail.retailer", "shop_ng", "shop_eg"),
    ("retail.retailorder", "shop_order_ng", "shop_order_eg"),
    ("retail.orderrequest", "request_ng", "request_eg"),
    ("partner.stockrecord", "shop_listing_ng", "lagos_ng"),
    ("order.order", "shop_order_ng_order", "order_ng_lagos"),
    ("partner.partner", None, "lagos"),
])
def test_a_retailer_sees_only_its_own(retail_world, as_role, label, own, foreign):
    client = as_role("retailer")
    model = model_of(label)
    pks = listed(client, urls(model))
    if own:
        assert retail_world.objects[own].pk in pks
        assert client.get(urls(model, retail_world.objects[own])["change"]).status_code == 200
    assert retail_world.objects[foreign].pk not in pks
    check_foreign(client, model, retail_world.objects[foreign])


@pytest.mark.parametrize("label", ["retail.zone", "retail.retailpolicy", "memberships.membership"])
def test_a_retailer_cannot_reach_zones_or_policies(retail_world, as_role, label):
    client = as_role("retailer")
    model = model_of(label)
    assert client.get(urls(model)).status_code in (200, 403)
    if client.get(urls(model)).status_code == 200:
        assert not ({retail_world.zone_ng.pk, retail_world.policy_ng.pk} & listed(client, urls(model))) or label == "memberships.membership"
    assert client.get(urls(model) + "add/").status_code == 403


def test_a_retailer_completes_its_profile_but_not_its_terms(retail_world, as_role):
    client = as_role("retailer")
    page = client.get(urls(model_of("retail.retailer"), retail_world.shop_ng)["change"])
    assert page.context_data["has_change_permission"]
    readonly = set(page.context_data["adminform"].readonly_fields)
    assert {"slug", "cash_on_delivery_limit", "brands", "is_active", "channel", "partner"} <= readonly
    assert client.get(urls(model_of("retail.retailer")) + "add/").status_code == 403


def test_a_retailer_answers_its_orders_in_the_admin(retail_world, as_role, django_capture_on_commit_callbacks):
    client = as_role("retailer")
    base = urls(RetailOrder)
    both = [retail_world.shop_order_ng.pk, retail_world.shop_order_eg.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base, {"action": "accept", "_selected_action": both})
    assert response.status_code == 302
    retail_world.shop_order_ng.refresh_from_db()
    retail_world.shop_order_eg.refresh_from_db()
    assert retail_world.shop_order_ng.status == RetailOrder.ACCEPTED
    assert retail_world.shop_order_ng.order.status == statuses.PROCESSING
    assert retail_world.shop_order_eg.status == RetailOrder.NEW  # not theirs: untouched

    change = urls(RetailOrder, retail_world.shop_order_ng)["change"]
    wrong = client.post(change, {"code": "999999"})
    assert wrong.status_code == 400  # the form again, with the error: nothing done
    assert "tries left" in str(wrong.context_data["adminform"].form.errors)
    retail_world.shop_order_ng.refresh_from_db()
    assert retail_world.shop_order_ng.code_tries == 1
    assert client.post(change, {"code": "123456"}).status_code == 302
    retail_world.shop_order_ng.refresh_from_db()
    assert retail_world.shop_order_ng.status == RetailOrder.DELIVERED
    # The country operator and the brand manager only read shop orders.
    operator = as_role("channel")
    assert not operator.get(change).context_data["has_change_permission"]


def test_a_retailer_places_an_order_by_message_in_one_step(
    retail_world, as_role, django_capture_on_commit_callbacks,
):
    from marketplace.messaging.models import OutboundMessage
    from marketplace.payments.models import PaymentOption
    from marketplace.retail.models import OrderRequest

    client = as_role("retailer")
    request_ng = retail_world.request_ng
    card_ng = PaymentOption.objects.get_or_create(channel=retail_world.ng, method="card",
                                                  defaults={"provider": "sandbox"})[0]
    card_eg = PaymentOption.objects.get_or_create(channel=retail_world.eg, method="card",
                                                  defaults={"provider": "sandbox"})[0]
    change = urls(OrderRequest, request_ng)["change"]
    form = {"place": "on", "handover": "delivery", "first_name": "Ada", "last_name": "Obi",
            "line1": "12 Allen Avenue", "city": "Lagos", "district": "Ikeja"}
    # Another country's way to pay is not a choice: refused, nothing placed.
    refused = client.post(change, {**form, "payment_option": card_eg.pk})
    assert refused.status_code == 400 and "payment_option" in refused.context_data["adminform"].form.errors
    request_ng.refresh_from_db()
    assert request_ng.order is None
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, {**form, "payment_option": card_ng.pk}).status_code == 302
    request_ng.refresh_from_db()
    assert request_ng.status == OrderRequest.ORDERED
    assert RetailOrder.objects.get(order=request_ng.order).retailer == retail_world.shop_ng
    assert OutboundMessage.objects.filter(key=f"request-placed:{request_ng.pk}").exists()
    # The operator of the country reads it; the other shop's request is not the retailer's.
    assert as_role("channel").get(change).status_code == 200
    assert client.post(urls(OrderRequest, retail_world.request_eg)["change"],
                       {**form, "payment_option": card_eg.pk}).status_code in (302, 403, 404)
    assert retail_world.request_eg.__class__.objects.get(pk=retail_world.request_eg.pk).order is None

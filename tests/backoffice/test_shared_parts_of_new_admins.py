"""
What a role that only shares an object sees of it, in the admins added with partner
shops and customer service: a brand manager reads its partner shops' orders without the
shopper's address or the order's total; a seller reads the help requests about its orders
without the shopper's e-mail (the rules of marketplace/order/shared_orders.py).
"""

import pytest

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("role, shows", [("brand", False), ("superuser", True)])
def test_a_brand_reads_its_partner_shops_orders_without_address_or_total(retail_world, as_role, role, shows):
    retail_order = retail_world.shop_order_ng
    client = as_role(role)

    listing = page(client, "/admin/retail/retailorder/")
    assert retail_order.order.number in listing
    assert ("column-order_total" in listing) is shows
    change = page(client, f"/admin/retail/retailorder/{retail_order.pk}/change/")
    assert retail_order.order.number in change
    assert ("field-shipping_address" in change) is shows
    assert ("field-order_total" in change) is shows


@pytest.mark.parametrize("role, shows", [("seller", False), ("superuser", True)])
def test_a_seller_reads_help_requests_about_its_orders_without_the_shoppers_email(world, as_role, role, shows):
    help_request = world.help_ng
    client = as_role(role)

    for path in ("/admin/helpdesk/helprequest/", f"/admin/helpdesk/helprequest/{help_request.pk}/change/"):
        content = page(client, path)
        assert help_request.reference in content
        assert (help_request.email in content) is shows
    # Nor found by it.
    found = page(client, f"/admin/helpdesk/helprequest/?q={help_request.email}")
    assert (help_request.reference in found) is shows

"""Partner shops in the back-office test world (tests/backoffice/conftest.py).

- Ikeja Phones (NG, Lagos), an authorised partner of Xiaomi, run by ``ikeja.retailer``;
  Zamalek Phones (EG, Cairo), a partner of Tecno.
- A zone status and a policy in each of NG and EG; an order and an order by message to
  each shop.
"""

from datetime import timedelta

from django.utils import timezone

from marketplace.memberships.services import membership_grant
from marketplace.messaging.models import InboundMessage
from marketplace.retail.models import (
    OrderRequest,
    RetailerInvitation,
    RetailOrder,
    RetailPolicy,
    Zone,
)
from tests import factories

from .conftest import make_shop


def add_retail_world(objects, users, *, make_user, make_order):
    ng, eg = objects["ng"], objects["eg"]
    shop_ng = make_shop(ng, "Ikeja Phones", district="Ikeja", brands=[objects["xiaomi"]])
    shop_eg = make_shop(eg, "Zamalek Phones", city="Cairo", brands=[objects["tecno_brand"]],
                        phone="+201001234567", districts=())
    objects.update(shop_ng=shop_ng, shop_eg=shop_eg)
    objects["shop_listing_ng"] = factories.listing(objects["redmi"], shop_ng.partner, ng, "148000.00")
    objects["shop_listing_eg"] = factories.listing(objects["spark"], shop_eg.partner, eg, "3300.00")
    for key, channel, city in (("zone_ng", ng, "Lagos"), ("zone_eg", eg, "Cairo")):
        objects[key] = Zone.objects.create(
            channel=channel, city=city, status="red", starts_at=timezone.now() + timedelta(days=1)
        )
    for key, channel in (("policy_ng", ng), ("policy_eg", eg)):
        objects[key] = RetailPolicy.objects.create(channel=channel)
    for key, number, shop, listing in (
        ("shop_order_ng", "NG-9101", shop_ng, "shop_listing_ng"),
        ("shop_order_eg", "EG-9102", shop_eg, "shop_listing_eg"),
    ):
        order = make_order(number, shop.channel, [objects[listing]])
        objects[f"{key}_order"] = order
        objects[key] = RetailOrder.objects.create(
            order=order, retailer=shop, answer_by=timezone.now() + timedelta(minutes=30),
            delivery_code="123456",
        )
    # An order by text message to each shop.
    for key, shop, listing in (("request_ng", shop_ng, "shop_listing_ng"),
                               ("request_eg", shop_eg, "shop_listing_eg")):
        message = InboundMessage.objects.create(
            provider="sandbox", message_id=f"world-{key}", medium="sms", sender="+2348051234567",
            recipient=shop.phone, text="ORDER X 1", channel=shop.channel,
        )
        objects[key] = OrderRequest.objects.create(
            retailer=shop, message=message, medium="sms", phone="+2348051234567", language="en",
            listing=objects[listing], quantity=1,
        )
    for key, channel in (("invitation_ng", ng), ("invitation_eg", eg)):
        objects[key] = RetailerInvitation.objects.create(
            channel=channel, email=f"new.shop.{channel.code}@example.com", nonce="n",
            expires_at=timezone.now() + timedelta(days=7),
        )
    users["retailer"] = make_user("ikeja.retailer")
    objects["retailer_membership"] = membership_grant(user=users["retailer"], seller=shop_ng.partner)

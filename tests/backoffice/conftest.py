"""
A small marketplace with one user per back-office role, and objects each role
owns and does not own.

- Xiaomi (brand) runs Mi Official Store in NG, EG and KE; Tecno runs Tecno
  Official Store in NG and EG.
- Lagos Gadgets Hub sells in NG, Cairo Phones in EG; order NG-1005 holds a Mi
  line and a Lagos line (a shared order), NG-1003 Lagos lines only.
- ``xiaomi.manager`` manages Xiaomi, ``ng.operator`` runs NG,
  ``lagos.seller`` works for Lagos Gadgets Hub, ``admin`` is a superuser.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from oscar.apps.address.models import Country

from marketplace.backoffice import audit
from marketplace.backoffice.models import AuditEntry
from marketplace.brands.models import Brand
from marketplace.delivery.models import DeliveryOption, PickupStation
from marketplace.exclusives.models import ExclusiveRule
from marketplace.memberships.services import membership_grant
from marketplace.order.models import Line, Order, ShippingAddress
from marketplace.partner.models import StockRecord
from marketplace.payments.models import Method, Payment, PaymentOption
from marketplace.payments.providers import PAY_ON_DELIVERY
from marketplace.stores.models import FeaturedProduct, HeroBanner, ProductBrand, StoreProfile
from tests import factories

PASSWORD = "back-office-test"


@dataclass
class World:
    objects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(username, *, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD,
        is_staff=True, is_superuser=superuser,
    )
    return user


def shipping_address(channel, name):
    first, last = name.split(" ", 1)
    return ShippingAddress.objects.create(
        first_name=first, last_name=last, line1="12 Marina Road", line4="Lagos",
        country=Country.objects.get(iso_3166_1_a2=str(channel.country)),
        phone_number="+2348031234567", notes="Call at the gate",
    )


def make_order(number, channel, listings, *, shipping=Decimal(0), address=None):
    total = sum((listing.price for listing in listings), Decimal(0)) + shipping
    order = Order.objects.create(
        number=number, channel=channel, currency=channel.currency, total_incl_tax=total,
        total_excl_tax=total, status="Pending", guest_email=f"{number}@example.com",
        date_placed=timezone.now(), shipping_incl_tax=shipping, shipping_excl_tax=shipping,
        shipping_method="Home delivery", shipping_address=address,
    )
    for listing in listings:
        Line.objects.create(
            order=order, partner=listing.partner, partner_name=listing.partner.name,
            partner_sku=listing.partner_sku, stockrecord=listing, product=listing.product,
            title=listing.product.title, quantity=1, line_price_incl_tax=listing.price,
            line_price_excl_tax=listing.price, line_price_before_discounts_incl_tax=listing.price,
            line_price_before_discounts_excl_tax=listing.price, num_allocated=0,
        )
    return order


def branded(product, brand):
    ProductBrand.objects.create(product=product, brand=brand)
    return product


@pytest.fixture
def world(launch_channels, phones):
    ng, eg, ke = launch_channels["ng"], launch_channels["eg"], launch_channels["ke"]
    mi = factories.official_store("Xiaomi", channels=[ng, eg, ke])
    tecno = factories.official_store("Tecno", channels=[ng, eg])
    lagos = factories.seller("Lagos Gadgets Hub", channels=[ng])
    cairo = factories.seller("Cairo Phones", channels=[eg])
    xiaomi, tecno_brand = mi.brand, tecno.brand

    redmi = branded(factories.product("Redmi A3", category=phones), xiaomi)
    redmi_pad = branded(factories.product("Redmi Pad", category=phones), xiaomi)
    note = branded(factories.product("Redmi Note 13", structure="parent", category=phones), xiaomi)
    note_variant = factories.product("Redmi Note 13 8GB", parent=note)
    spark = branded(factories.product("Tecno Spark 20", category=phones), tecno_brand)
    pova = branded(factories.product("Tecno Pova 6", structure="parent", category=phones), tecno_brand)

    objects = {
        "ng": ng, "eg": eg, "ke": ke, "gh": launch_channels["gh"], "phones": phones,
        "xiaomi": xiaomi, "tecno_brand": tecno_brand,
        "mi": mi, "tecno": tecno, "lagos": lagos, "cairo": cairo,
        "redmi": redmi, "redmi_pad": redmi_pad, "note": note, "note_variant": note_variant,
        "spark": spark, "pova": pova,
        "lonely_brand": Brand.objects.create(name="Nokia", slug="nokia"),
        "mi_ng": factories.listing(redmi, mi, ng, "150000.00"),
        "mi_eg": factories.listing(redmi, mi, eg, "4000.00"),
        "mi_pad_ng": factories.listing(redmi_pad, mi, ng, "250000.00"),
        "mi_note_ng": factories.listing(note_variant, mi, ng, "300000.00"),
        "tecno_ng": factories.listing(spark, tecno, ng, "120000.00"),
        "tecno_eg": factories.listing(spark, tecno, eg, "3500.00"),
        "lagos_ng": factories.listing(redmi, lagos, ng, "149000.00"),
        "lagos_spark_ng": factories.listing(spark, lagos, ng, "119000.00"),
        "cairo_eg": factories.listing(spark, cairo, eg, "3400.00"),
    }
    for key in ("mi", "tecno", "lagos", "cairo"):
        objects[f"{key}_profile"] = StoreProfile.objects.create(
            partner=objects[key], tagline=f"{objects[key].name} tagline",
            description=f"About {objects[key].name}",
        )
    objects["featured_ng"] = FeaturedProduct.objects.create(channel=ng, product=redmi)
    objects["featured_eg"] = FeaturedProduct.objects.create(channel=eg, product=spark)
    objects["hero_ng"] = HeroBanner.objects.create(channel=ng, title="Redmi week")
    objects["hero_eg"] = HeroBanner.objects.create(channel=eg, title="Spark days")
    objects["order_ng_mi"] = make_order("NG-1001", ng, [objects["mi_ng"]])
    objects["order_eg_tecno"] = make_order("EG-1002", eg, [objects["tecno_eg"]])
    objects["order_ng_lagos"] = make_order("NG-1003", ng, [objects["lagos_ng"]])
    objects["order_eg_cairo"] = make_order("EG-1004", eg, [objects["cairo_eg"]])
    # Lagos Gadgets Hub's alone (theirs to ship), and one shared with Mi Official Store.
    objects["order_ng_lagos"].shipping_address = shipping_address(ng, "Ada Obi")
    objects["order_ng_lagos"].save()
    objects["order_shared"] = make_order(
        "NG-1005", ng, [objects["mi_ng"], objects["lagos_spark_ng"]], shipping=Decimal("2500.00"),
        address=shipping_address(ng, "Chinedu Okafor"),
    )

    # Delivery options and pickup stations (issue 3), scoped by channel.
    for key, channel in [("home_ng", ng), ("home_eg", eg)]:
        objects[key] = DeliveryOption.objects.create(
            channel=channel, kind=DeliveryOption.HOME, name="Home delivery", price=Decimal("1000")
        )
    for key, channel, city in [("ikeja", ng, "Lagos"), ("nasr_city", eg, "Cairo")]:
        objects[key] = PickupStation.objects.create(
            channel=channel, name=f"{city} station", address="1 Main Road", city=city, opening_hours="8-18"
        )

    # The lead's payment options and payments (issue 3), scoped by channel.
    for key, channel, method, provider in [
        ("card_ng", ng, Method.CARD, "sandbox"), ("pod_ng", ng, Method.PAY_ON_DELIVERY, PAY_ON_DELIVERY),
        ("card_eg", eg, Method.CARD, "sandbox"), ("pod_eg", eg, Method.PAY_ON_DELIVERY, PAY_ON_DELIVERY),
    ]:
        objects[key] = PaymentOption.objects.create(channel=channel, method=method, provider=provider)
    for key, order_key, option_key in [
        ("payment_ng", "order_ng_lagos", "card_ng"), ("payment_eg", "order_eg_cairo", "card_eg"),
    ]:
        order = objects[order_key]
        objects[key] = Payment.objects.create(
            order=order, option=objects[option_key], provider="sandbox", method=Method.CARD,
            amount=order.total_incl_tax, currency=order.currency,
            expires_at=timezone.now() + timedelta(minutes=15),
        )

    # Exclusive-listing rules (issue 5), on products of their own (rules protect
    # their product from deletion): Mi's on the Redmi Go family in NG (in force),
    # Tecno's on the Camon family in EG (next year).
    objects["redmi_go"] = branded(
        factories.product("Redmi Go", structure="parent", category=phones), xiaomi
    )
    objects["camon"] = branded(
        factories.product("Tecno Camon 30", structure="parent", category=phones), tecno_brand
    )
    # And one on the Xiaomi 14T family in NG and EG (next year): it reaches
    # beyond the NG operator's country.
    objects["xiaomi_14t"] = branded(
        factories.product("Xiaomi 14T", structure="parent", category=phones), xiaomi
    )
    for key, product, store, channels, starts in [
        ("rule_ng", objects["redmi_go"], mi, [ng], timezone.now() - timedelta(days=30)),
        ("rule_eg", objects["camon"], tecno, [eg], timezone.now() + timedelta(days=365)),
        ("rule_ng_eg", objects["xiaomi_14t"], mi, [ng, eg], timezone.now() + timedelta(days=365)),
    ]:
        objects[key] = ExclusiveRule.objects.create(product=product, store=store, starts_at=starts)
        objects[key].channels.set(channels)
    from marketplace.flashsales.models import Sale

    for key, store, channels in [("sale_mi_ng", mi, [ng]), ("sale_lagos_ng", lagos, [ng]),
                                 ("sale_tecno_eg", tecno, [eg])]:
        objects[key] = Sale.objects.create(
            name=f"Flash {key}", seller=store, starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=2),
        )
        objects[key].channels.set(channels)
    # Flash-sale orders accepted at the peak, not written yet: one per channel.
    from marketplace.basket.models import Basket
    from marketplace.flashsales.models import AcceptedOrder

    for key, channel, number in [("accepted_ng", ng, "NG-ACCEPTED2"), ("accepted_eg", eg, "EG-ACCEPTED2")]:
        objects[key] = AcceptedOrder.objects.create(
            number=number, channel=channel, basket=Basket.objects.create(channel=channel),
            checkout_key=f"key-{number}", address={}, method_code="home-1", option_code="1",
            total=Decimal("1000.00"), language="en",
        )

    # Warranty plans (issue 13): a brand's plan in one channel each.
    from marketplace.aftersales.models import WarrantyPlan

    for key, channel, brand in [("plan_mi_ng", ng, xiaomi), ("plan_tecno_eg", eg, tecno_brand)]:
        objects[key] = WarrantyPlan.objects.create(
            channel=channel, brand=brand, name=f"{brand.name} Care", months=12,
            pricing=WarrantyPlan.PERCENTAGE, amount=Decimal("10"),
        )
        objects[key].categories.set([phones])
    # Devices registered on warranties bought with three of the orders.
    from marketplace.aftersales.models import Device, OrderWarranty

    for key, order_key, plan_key, imei in [
        ("dev_mi_ng", "order_ng_mi", "plan_mi_ng", "490154203237518"),
        ("dev_lagos_ng", "order_ng_lagos", "plan_mi_ng", "356938035643809"),
        ("dev_tecno_eg", "order_eg_cairo", "plan_tecno_eg", "353918051234561"),
    ]:
        product_line = objects[order_key].lines.get()
        plan_line = Line.objects.create(
            order=objects[order_key], partner=product_line.partner, partner_name=product_line.partner_name,
            partner_sku=product_line.partner_sku, stockrecord=product_line.stockrecord,
            product=product_line.product, title="Care", quantity=1, parent_line=product_line,
            # Free: the dashboards' revenue figures of these orders stay what their tests expect.
            line_price_incl_tax=Decimal("0"), line_price_excl_tax=Decimal("0"),
            line_price_before_discounts_incl_tax=Decimal("0"),
            line_price_before_discounts_excl_tax=Decimal("0"), num_allocated=0,
        )
        warranty = OrderWarranty.objects.create(
            line=plan_line, product_line=product_line, plan=objects[plan_key], months=12
        )
        today = timezone.localdate()
        objects[key] = Device.objects.create(
            warranty=warranty, unit=1, imei=imei, delivered_on=today, starts_on=today, ends_on=today,
        )

    # Authorised service centres (issue 13): the NG one serves Xiaomi, the EG one Tecno.
    from marketplace.aftersales.models import ServiceCentre

    for key, channel, brand, city, lat, lng in [
        ("centre_ng", ng, xiaomi, "Lagos", 6.6018, 3.3515), ("centre_eg", eg, tecno_brand, "Cairo", 30.05, 31.33),
    ]:
        objects[key] = ServiceCentre.objects.create(
            channel=channel, name=f"{city} Service Centre", address="1 Main Road", city=city,
            latitude=lat, longitude=lng, phone="+234 1 700 1001", hours="9-18", services="Repairs",
        )
        objects[key].brands.set([brand])

    # Repair bookings at those centres, for two registered devices.
    from marketplace.aftersales.models import RepairBooking

    for key, device_key, centre_key in [("booking_ng", "dev_mi_ng", "centre_ng"), ("booking_eg", "dev_tecno_eg", "centre_eg")]:
        objects[key] = RepairBooking.objects.create(
            reference=f"X-R{key[-2:].upper()}2345", device=objects[device_key], centre=objects[centre_key],
            fault="Cracked screen", preferred_day=timezone.localdate(), in_cover=True, payer="warranty",
            language="en",
        )

    # Help desks and help requests (issue 13), scoped by channel; the NG request is about
    # Lagos Gadgets Hub's order.
    from datetime import time

    from marketplace.helpdesk.models import HelpDesk, HelpMessage, HelpRequest

    for key, channel in [("desk_ng", ng), ("desk_eg", eg)]:
        objects[key] = HelpDesk.objects.create(
            channel=channel, phone="+234 1 000 0000", email="help@example.com", days="Mon-Sat",
            opens_at=time(8), closes_at=time(18),
        )
    for key, channel, order_key in [("help_ng", ng, "order_ng_lagos"), ("help_eg", eg, "order_eg_cairo")]:
        objects[key] = HelpRequest.objects.create(
            channel=channel, reference=f"{channel.code.upper()}-H{key[-2:].upper()}2345",
            order=objects[order_key], name="Ada", email="ada@example.com", language="en", topic="delivery",
        )
        HelpMessage.objects.create(request=objects[key], body="Where is my order?")

    # Returns and refunds (issue 13): a return of each order's line, and a refund of each payment.
    from marketplace.helpdesk.models import ReturnRequest
    from marketplace.payments.models import Refund

    for key, order_key in [("return_ng", "order_ng_lagos"), ("return_eg", "order_eg_cairo")]:
        order = objects[order_key]
        objects[key] = ReturnRequest.objects.create(
            reference=f"{order.channel.code.upper()}-T{key[-2:].upper()}2345", order=order,
            line=order.lines.first(), quantity=1, reason="Broken", language="en",
        )
    for key, payment_key in [("refund_ng", "payment_ng"), ("refund_eg", "payment_eg")]:
        payment = objects[payment_key]
        # To be paid back by hand (its provider has no refunds): the one state operators write.
        objects[key] = Refund.objects.create(order=payment.order, payment=payment, key=key, amount=payment.amount,
                                             currency=payment.currency, reason="Return",
                                             status=Refund.Status.MANUAL)

    users = {
        "brand": make_user("xiaomi.manager"),
        "channel": make_user("ng.operator"),
        "seller": make_user("lagos.seller"),
        "superuser": make_user("admin", superuser=True),
        "eg_operator": make_user("eg.operator"),
        "cairo_seller": make_user("cairo.seller"),
        "tecno_manager": make_user("tecno.manager"),
    }
    objects["brand_membership"] = membership_grant(user=users["brand"], brand=xiaomi)
    objects["channel_membership"] = membership_grant(user=users["channel"], channel=ng)
    objects["seller_membership"] = membership_grant(user=users["seller"], seller=lagos)
    objects["eg_membership"] = membership_grant(user=users["eg_operator"], channel=eg)
    objects["cairo_membership"] = membership_grant(user=users["cairo_seller"], seller=cairo)
    objects["tecno_membership"] = membership_grant(user=users["tecno_manager"], brand=tecno_brand)

    # One audited change to each of two listings: a Mi one in NG and a Tecno one in EG.
    with audit.acting(users["superuser"]):
        for key in ("mi_ng", "tecno_eg", "lagos_ng"):
            listing = objects[key]
            listing.num_in_stock = 9
            listing.save()
    for key in ("mi_ng", "tecno_eg", "lagos_ng"):
        objects[f"audit_{key}"] = AuditEntry.objects.get(
            content_type=ContentType.objects.get_for_model(StockRecord),
            object_id=str(objects[key].pk),
        )
    return World(objects=objects, users=users)


@pytest.fixture
def retail_world(world):
    """The world plus partner shops (issue 12): theirs, their zones, policies and orders,
    and a retailer (``ikeja.retailer``). Kept apart so the other tests' counts stay as they are."""
    from tests.retail.world import add_retail_world

    add_retail_world(world.objects, world.users, make_user=make_user, make_order=make_order)
    return world


@pytest.fixture
def as_role(client, world):
    """``as_role("brand")``: the test client signed in as that role's user."""

    def sign_in(role):
        client.force_login(world.users[role])
        return client

    return sign_in

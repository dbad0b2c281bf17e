"""
The demo's partner retailers (issue 12), idempotently.

Two partner shops in each big city of every channel (Lagos, Port Harcourt, Abuja,
Kano, Ibadan; Nairobi, Mombasa; Cairo, Alexandria; Abidjan; Casablanca; Accra,
Kumasi), placed a few kilometres from the city's GeoNames point, open Monday to
Saturday 8:00–20:00 and Sunday 12:00–18:00 (local time), selling six of the
brands' products a little under the official price, with stock. Zones in all three
colours, applying from yesterday (so the demo looks the same on any day). One
retailer login per channel (``ng.retailer``, ``eg.retailer``, …) runs the first shop
of its channel's first city.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.channels.money import quantize
from marketplace.locator.cities import city_named
from marketplace.memberships.services import membership_grant
from marketplace.partner.models import Partner, StockRecord
from marketplace.retail.models import OpeningHours, Retailer, RetailPolicy, Zone
from marketplace.retail.phones import normalise_phone

# country: (phone numbers' first digits, [(city, [district of shop 1, district of shop 2])])
CITIES = {
    "NG": ("+23480312345", [("Lagos", ["Ikeja", "Lekki"]), ("Port Harcourt", ["GRA", "Rumuola"]),
                            ("Abuja", ["Wuse", "Garki"]), ("Kano", ["Sabon Gari", "Nassarawa"]),
                            ("Ibadan", ["Bodija", "Dugbe"])]),
    "KE": ("+2547123456", [("Nairobi", ["Westlands", "Kilimani"]), ("Mombasa", ["Nyali", "Old Town"])]),
    "EG": ("+2010012345", [("Cairo", ["Zamalek", "Nasr City"]), ("Alexandria", ["Smouha", "Sidi Gaber"])]),
    "CI": ("+22507010203", [("Abidjan", ["Cocody", "Plateau"])]),
    "MA": ("+2126123456", [("Casablanca", ["Maârif", "Anfa"])]),
    "GH": ("+2332412345", [("Accra", ["Osu", "East Legon"]), ("Kumasi", ["Adum", "Asokwa"])]),
}
SHOP_NAMES = ("{district} Phone Centre", "{city} Mobile Corner")
OFFSETS = ((0.021, 0.012), (-0.016, 0.027))
# channel: [(city, district or "", status)]: every colour somewhere.
ZONES = {
    "NG": [("Lagos", "", "green"), ("Lagos", "Lekki", "orange"), ("Kano", "", "red"),
           ("Port Harcourt", "", "orange")],
    "KE": [("Nairobi", "", "green"), ("Mombasa", "", "orange")],
    "EG": [("Cairo", "", "green"), ("Alexandria", "", "red")],
    "CI": [("Abidjan", "", "green"), ("Abidjan", "Plateau", "orange")],
    "MA": [("Casablanca", "", "green"), ("Casablanca", "Anfa", "red")],
    "GH": [("Accra", "", "green"), ("Kumasi", "", "orange")],
}
HOURS = [(day, datetime.time(8), datetime.time(20)) for day in range(6)] + [
    (6, datetime.time(12), datetime.time(18))
]
PRODUCTS_PER_SHOP = 6


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace("â", "a"))


def _shop(channel, city, district, name, index, phone_prefix):
    centre = city_named(channel.country.code, city).point
    dlat, dlng = OFFSETS[index % 2]
    slug = _slug(f"{name}")[:60]
    partner, _ = Partner.objects.update_or_create(
        slug=f"shop-{channel.code}-{slug}"[:128], defaults={"name": name, "is_local_shop": True}
    )
    partner.channels.set([channel])
    retailer, _ = Retailer.objects.update_or_create(
        partner=partner,
        defaults={
            "channel": channel, "slug": slug, "name": name, "city": city, "district": district,
            "address": f"{10 + index * 7} Market Road, {district}",
            "latitude": round(centre.latitude + dlat, 6), "longitude": round(centre.longitude + dlng, 6),
            "phone": normalise_phone(f"{phone_prefix}{index:02d}", channel.country.code),
            "whatsapp": normalise_phone(f"{phone_prefix}{index + 50:02d}", channel.country.code),
            "delivery_radius_km": Decimal("12"), "delivery_districts": [district],
            "cash_on_delivery_limit": Decimal("0"), "is_active": True,
        },
    )
    if not retailer.hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(retailer=retailer, weekday=d, opens=o, closes=c) for d, o, c in HOURS
        )
    return retailer


def _stock(retailer, official):
    for position, listing in enumerate(official):
        price = quantize(listing.price * Decimal("0.97"), retailer.channel.currency)
        StockRecord.objects.update_or_create(
            product=listing.product, partner=retailer.partner, channel=retailer.channel,
            defaults={
                "partner_sku": f"{retailer.partner.slug}-{listing.product.upc}".upper()[:128],
                "price": price, "num_in_stock": 5 + (position * 3) % 11, "is_live": True,
            },
        )
    # A limit for cash or mobile money at the door: about the price of two phones.
    if official:
        limit = quantize(max(item.price for item in official) * 3, retailer.channel.currency)
        Retailer.objects.filter(pk=retailer.pk).update(cash_on_delivery_limit=limit)


def seed_retail(channels, password: str) -> None:
    yesterday = timezone.now() - datetime.timedelta(days=1)
    User = get_user_model()
    for code, (phone_prefix, cities) in CITIES.items():
        channel = channels[code]
        RetailPolicy.objects.get_or_create(channel=channel)
        official = list(
            StockRecord.objects.filter(
                channel=channel, partner__is_official_store=True, is_live=True, num_in_stock__gt=0,
                product__is_public=True, product__structure="standalone",
            ).select_related("product").order_by("product__upc")[:PRODUCTS_PER_SHOP]
        )
        shops = []
        index = 0
        for city, districts in cities:
            for name_format, district in zip(SHOP_NAMES, districts, strict=True):
                shop = _shop(channel, city, district, name_format.format(city=city, district=district),
                             index, phone_prefix)
                _stock(shop, official)
                shops.append(shop)
                index += 1
        for city, district, status in ZONES[code]:
            orange = status == "orange"
            Zone.objects.get_or_create(
                channel=channel, city=city, district=district,
                defaults={
                    "status": status, "starts_at": yesterday,
                    "delivery_from": datetime.time(9) if orange else None,
                    "delivery_until": datetime.time(17) if orange else None,
                    "shop_pickup_allowed": status != "red" or district != "",
                },
            )
        user, _ = User.objects.update_or_create(
            username=f"{code.lower()}.retailer",
            defaults={"email": f"{code.lower()}.retailer@example.com", "is_staff": True, "is_active": True},
        )
        user.set_password(password)
        user.save()
        membership_grant(user=user, seller=shops[0].partner)


def seed_messages(channels) -> None:
    """An order by text message to each channel's first shop, through the messaging sandbox
    (signed and delivered as the provider would): the shop's login sees it in the admin.
    Skipped when the sandbox is not configured; the same message id on every run."""
    from marketplace.messaging.exceptions import MessagingError
    from marketplace.messaging.providers import get_provider
    from marketplace.messaging.services import inbound_receive
    from marketplace.retail.models import Retailer

    try:
        provider = get_provider("sandbox")
    except MessagingError:
        return
    shoppers = {"NG": "+2348051234567", "KE": "+254722000111", "EG": "+201111234567",
                "CI": "+2250505050505", "MA": "+212661234567", "GH": "+233201234567"}
    for code, channel in channels.items():
        shop = Retailer.objects.filter(channel=channel).order_by("pk").first()
        listing = shop and StockRecord.objects.filter(partner=shop.partner, channel=channel).order_by("pk").first()
        if listing is None or code not in shoppers:
            continue
        body, headers = provider.signed({
            "message_id": f"demo-order-{code.lower()}", "medium": "sms", "from": shoppers[code],
            "to": shop.phone, "text": f"ORDER {listing.partner_sku} 1",
        })
        try:
            inbound_receive(provider_code=provider.code, body=body, headers=headers)
        except MessagingError:
            continue  # a shop whose number takes no texts in this demo

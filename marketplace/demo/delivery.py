"""Demo delivery options and pickup stations per channel (idempotent)."""

from decimal import Decimal

from marketplace.delivery.models import DeliveryOption, PickupStation

# channel: (home price, free above, pickup price, express price, express cities, stations)
DELIVERY = {
    "NG": ("2325.58", "50000", "930.23", "4651.16", ["Lagos", "Abuja"],
           [("Ikeja Pickup Station", "12 Allen Avenue, Ikeja", "Lagos"),
            ("Wuse Pickup Station", "5 Aminu Kano Crescent, Wuse II", "Abuja")]),
    "EG": ("52.63", "2000", "26.32", "105.26", ["Cairo", "Giza"],
           [("Nasr City Pickup Station", "14 Abbas El Akkad St, Nasr City", "Cairo"),
            ("Smouha Pickup Station", "22 Victor Emmanuel Sq, Smouha", "Alexandria")]),
    "KE": ("258.62", "5000", "129.31", "517.24", ["Nairobi"],
           [("Westlands Pickup Station", "Sarit Centre, Westlands", "Nairobi"),
            ("Nyali Pickup Station", "Nyali Centre, Links Road", "Mombasa")]),
    "CI": ("1695", "50000", "847", "2966", ["Abidjan"],
           [("Point relais Cocody", "Boulevard Latrille, Cocody", "Abidjan"),
            ("Point relais Plateau", "Avenue Chardy, Plateau", "Abidjan")]),
    "MA": ("25", "500", "12.50", "50", ["Casablanca", "Rabat"],
           [("Point relais Maârif", "45 Rue Ibnou Mounir, Maârif", "Casablanca"),
            ("Point relais Agdal", "12 Avenue Fal Ould Oumeir, Agdal", "Rabat")]),
    "GH": ("25", "600", "12.50", "50", ["Accra"],
           [("Osu Pickup Station", "Oxford Street, Osu", "Accra"),
            ("Adum Pickup Station", "Prempeh II Street, Adum", "Kumasi")]),
}

NAMES = {
    DeliveryOption.HOME: {"en": "Home delivery", "fr": "Livraison à domicile",
                          "ar": "التوصيل إلى المنزل", "sw": "Uwasilishaji nyumbani"},
    DeliveryOption.PICKUP: {"en": "Pickup station", "fr": "Point relais",
                            "ar": "نقطة الاستلام", "sw": "Kituo cha kuchukua"},
    DeliveryOption.EXPRESS: {"en": "Express delivery", "fr": "Livraison express",
                             "ar": "توصيل سريع", "sw": "Uwasilishaji wa haraka"},
}
HOURS = {"en": "Mon–Sat 8:00–19:00", "fr": "Lun–sam 8h00–19h00",
         "ar": "الاثنين–السبت 8:00–19:00", "sw": "Jumatatu–Jumamosi 8:00–19:00"}


def _option(channel, kind, position, price, **fields):
    option, _ = DeliveryOption.objects.update_or_create(
        channel=channel, kind=kind,
        defaults={"name": NAMES[kind]["en"], "price": Decimal(price), "position": position, **fields},
    )
    for language in channel.languages:
        if language != "en":
            option.translations.update_or_create(
                language=language, defaults={"name": NAMES[kind][language]}
            )
    return option


# (min days, max days, extra days from abroad) per kind. Express is faster than home
# delivery from anywhere (air freight from the factory country: 3 extra days, not 7).
DAYS = {
    DeliveryOption.HOME: (1, 3, 7),
    DeliveryOption.PICKUP: (1, 4, 7),
    DeliveryOption.EXPRESS: (0, 1, 3),
}


def _days(kind) -> dict:
    min_days, max_days, abroad = DAYS[kind]
    return {"min_days": min_days, "max_days": max_days, "abroad_extra_days": abroad}


def seed_delivery(channels) -> None:
    for code, (home, free_above, pickup, express, cities, stations) in DELIVERY.items():
        channel = channels[code]
        _option(channel, DeliveryOption.HOME, 0, home, free_above=Decimal(free_above),
                **_days(DeliveryOption.HOME))
        # Free from the same basket as home delivery: a pickup is never dearer.
        _option(channel, DeliveryOption.PICKUP, 1, pickup, free_above=Decimal(free_above),
                **_days(DeliveryOption.PICKUP))
        _option(channel, DeliveryOption.EXPRESS, 2, express, cities=cities,
                **_days(DeliveryOption.EXPRESS))
        for name, address, city in stations:
            station, _ = PickupStation.objects.update_or_create(
                channel=channel, name=name,
                defaults={"address": address, "city": city, "opening_hours": HOURS["en"]},
            )
            for language in channel.languages:
                if language != "en":
                    station.translations.update_or_create(
                        language=language, defaults={"name": name, "opening_hours": HOURS[language]}
                    )

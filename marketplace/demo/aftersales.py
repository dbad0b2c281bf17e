"""Demo after-sales: extended warranty plans and authorised service centres in every channel (idempotent)."""

from decimal import Decimal

from oscar.apps.catalogue.models import Category

from marketplace.aftersales.models import (
    ServiceCentre,
    ServiceCentreTranslation,
    WarrantyPlan,
    WarrantyPlanTranslation,
)
from marketplace.brands.models import Brand

# (brand slug or None, English name, months, pricing, amount, categories, position)
PLANS = [
    ("xiaomi", "Mi Care+ 1 year", 12, WarrantyPlan.PERCENTAGE, "8", ["Phones"], 0),
    (None, "Extended warranty 2 years", 24, WarrantyPlan.PERCENTAGE, "12", ["Phones", "Wearables"], 1),
    (None, "Accident cover 1 year", 12, WarrantyPlan.PERCENTAGE, "6", ["TV & Video", "Smart Home"], 2),
]
TERMS = {
    "en": "Parts and labour at our authorised service centres once the maker's 12-month warranty "
          "ends. Register the device by IMEI or serial number after delivery.",
    "fr": "Pièces et main-d'œuvre dans nos centres de service agréés à la fin de la garantie "
          "constructeur de 12 mois. Enregistrez l'appareil par IMEI ou numéro de série après la livraison.",
    "ar": "قطع الغيار واليد العاملة في مراكز الخدمة المعتمدة بعد انتهاء ضمان الشركة المصنعة لمدة 12 شهرًا. "
          "سجّل الجهاز برقم IMEI أو الرقم التسلسلي بعد الاستلام.",
    "sw": "Vipuri na ufundi katika vituo vyetu vya huduma vilivyoidhinishwa baada ya dhamana ya "
          "mtengenezaji ya miezi 12 kuisha. Sajili kifaa kwa IMEI au nambari ya mfululizo baada ya kupokea.",
}
NAMES = {
    "Mi Care+ 1 year": {"fr": "Mi Care+ 1 an", "ar": "Mi Care+ لمدة سنة", "sw": "Mi Care+ mwaka 1"},
    "Extended warranty 2 years": {"fr": "Extension de garantie 2 ans", "ar": "ضمان ممتد لمدة سنتين",
                                  "sw": "Dhamana ya ziada miaka 2"},
    "Accident cover 1 year": {"fr": "Couverture accident 1 an", "ar": "تغطية الحوادث لمدة سنة",
                              "sw": "Bima ya ajali mwaka 1"},
}


def seed_aftersales(channels, password: str) -> None:
    seed_service_centres(channels)
    _centre_staff(channels, password)
    categories = {c.name: c for c in Category.objects.filter(depth=1)}
    brands = {b.slug: b for b in Brand.objects.all()}
    for channel in channels.values():
        languages = [lang for lang in channel.languages if lang != "en"]
        for brand_slug, name, months, pricing, amount, covered, position in PLANS:
            plan, _ = WarrantyPlan.objects.update_or_create(
                channel=channel, brand=brands.get(brand_slug) if brand_slug else None, name=name,
                defaults={"months": months, "pricing": pricing, "amount": Decimal(amount),
                          "terms": TERMS["en"], "position": position, "is_active": True},
            )
            plan.categories.set([categories[c] for c in covered if c in categories])
            for language in languages:
                WarrantyPlanTranslation.objects.update_or_create(
                    parent=plan, language=language,
                    defaults={"name": NAMES[name][language], "terms": TERMS[language]},
                )


# channel: [(name, address, city, latitude, longitude, phone)]
CENTRES = {
    "NG": [
        ("Ikeja Service Centre", "23 Obafemi Awolowo Way, Ikeja", "Lagos", 6.6018, 3.3515, "+234 1 700 1001"),
        ("Lekki Service Centre", "Admiralty Way, Lekki Phase 1", "Lagos", 6.4474, 3.4700, "+234 1 700 1002"),
        ("Port Harcourt Service Centre", "45 Aba Road", "Port Harcourt", 4.8156, 7.0498, "+234 84 700 1003"),
        ("Abuja Service Centre", "Plot 1021 Aminu Kano Crescent, Wuse II", "Abuja", 9.0765, 7.3986,
         "+234 9 700 1004"),
        ("Kano Service Centre", "12 Murtala Mohammed Way", "Kano", 12.0022, 8.5920, "+234 64 700 1005"),
        ("Ibadan Service Centre", "Ring Road, Challenge", "Ibadan", 7.3775, 3.9470, "+234 2 700 1006"),
    ],
    "EG": [
        ("Nasr City Service Centre", "14 Abbas El Akkad St, Nasr City", "Cairo", 30.0561, 31.3301,
         "+20 2 2700 1001"),
        ("Alexandria Service Centre", "22 Fouad St", "Alexandria", 31.2001, 29.9187, "+20 3 4700 1002"),
    ],
    "KE": [
        ("Nairobi CBD Service Centre", "Moi Avenue, Kimathi House", "Nairobi", -1.2841, 36.8233,
         "+254 20 700 1001"),
        ("Westlands Service Centre", "Sarit Centre, Westlands", "Nairobi", -1.2614, 36.8027, "+254 20 700 1002"),
        ("Mombasa Service Centre", "Nkrumah Road", "Mombasa", -4.0435, 39.6682, "+254 41 700 1003"),
    ],
    "CI": [
        ("Centre de service Plateau", "Avenue Chardy, Plateau", "Abidjan", 5.3192, -4.0161, "+225 27 20 70 10 01"),
        ("Centre de service Cocody", "Boulevard Latrille, Cocody", "Abidjan", 5.3489, -3.9883,
         "+225 27 22 70 10 02"),
    ],
    "MA": [
        ("Centre de service Maârif", "45 Rue Ibnou Mounir, Maârif", "Casablanca", 33.5883, -7.6319,
         "+212 5 22 70 10 01"),
        ("Centre de service Agdal", "12 Avenue Fal Ould Oumeir, Agdal", "Rabat", 33.9981, -6.8494,
         "+212 5 37 70 10 02"),
    ],
    "GH": [
        ("Osu Service Centre", "Oxford Street, Osu", "Accra", 5.5560, -0.1829, "+233 30 270 1001"),
        ("Kumasi Service Centre", "Prempeh II Street, Adum", "Kumasi", 6.6885, -1.6244, "+233 32 270 1002"),
    ],
}
HOURS = {"en": "Mon–Sat 9:00–18:00", "fr": "Lun–sam 9h00–18h00", "ar": "الاثنين–السبت 9:00–18:00",
         "sw": "Jumatatu–Jumamosi 9:00–18:00"}
SERVICES = {
    "en": "Screen and battery repairs, diagnostics, warranty claims",
    "fr": "Réparation d’écran et de batterie, diagnostic, garantie",
    "ar": "إصلاح الشاشات والبطاريات، التشخيص، مطالبات الضمان",
    "sw": "Kurekebisha skrini na betri, uchunguzi, madai ya dhamana",
}


def seed_service_centres(channels) -> None:
    brands = list(Brand.objects.filter(slug__in=["xiaomi", "tecno"]))
    for code, centres in CENTRES.items():
        channel = channels[code]
        languages = [lang for lang in channel.languages if lang != "en"]
        for name, address, city, latitude, longitude, phone in centres:
            centre, _ = ServiceCentre.objects.update_or_create(
                channel=channel, name=name,
                defaults={"address": address, "city": city, "latitude": latitude, "longitude": longitude,
                          "phone": phone, "hours": HOURS["en"], "services": SERVICES["en"], "is_active": True},
            )
            centre.brands.set(brands)
            for language in languages:
                ServiceCentreTranslation.objects.update_or_create(
                    parent=centre, language=language,
                    defaults={"name": name, "hours": HOURS[language], "services": SERVICES[language]},
                )


# username -> (channel, centre name): staff who see their centre's repair bookings.
CENTRE_STAFF = {"nairobi.centre": ("KE", "Nairobi CBD Service Centre"),
                "ikeja.centre": ("NG", "Ikeja Service Centre")}


def _centre_staff(channels, password: str) -> None:
    from django.contrib.auth import get_user_model

    from marketplace.memberships.services import membership_grant

    User = get_user_model()
    for username, (code, centre_name) in CENTRE_STAFF.items():
        user, _ = User.objects.update_or_create(
            username=username, defaults={"email": f"{username}@example.com", "is_staff": True, "is_active": True},
        )
        user.set_password(password)
        user.save()
        membership_grant(user=user, service_centre=ServiceCentre.objects.get(channel=channels[code], name=centre_name))

"""Demo after-sales: extended warranty plans in every channel (idempotent)."""

from decimal import Decimal

from oscar.apps.catalogue.models import Category

from marketplace.aftersales.models import WarrantyPlan, WarrantyPlanTranslation
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


def seed_aftersales(channels) -> None:
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

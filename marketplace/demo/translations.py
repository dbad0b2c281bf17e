"""
The demo catalogue in French, Arabic and Swahili: product titles and
descriptions, category names, as brand managers would enter them in the admin.

English is the products' own text (``catalogue.PRODUCTS``); a product missing
here shows it, which is the fallback shoppers get for an untranslated product.
Swahili is given for some products only, to show that fallback on ``/ke/sw/``.
Idempotent: rows are looked up by product UPC or category name and language.
"""

from oscar.apps.catalogue.models import Category, Product

from marketplace.localisation.models import CategoryTranslation, ProductTranslation

CATEGORIES = {
    "Phones": {"fr": "Téléphones", "ar": "هواتف", "sw": "Simu"},
    "Wearables": {"fr": "Objets connectés", "ar": "أجهزة قابلة للارتداء", "sw": "Vifaa vya kuvaa"},
    "Chargers & Power": {"fr": "Chargeurs et batteries", "ar": "شواحن وبطاريات", "sw": "Chaja na betri"},
    "Audio": {"fr": "Audio", "ar": "صوتيات", "sw": "Sauti"},
    "TV & Video": {"fr": "TV et vidéo", "ar": "تلفزيون وفيديو", "sw": "TV na video"},
    "Smart Home": {"fr": "Maison connectée", "ar": "المنزل الذكي", "sw": "Nyumba janja"},
}

# upc: {language: (title, description)}
PRODUCTS = {
    "XM-REDMIGO": {
        "fr": ("Xiaomi Redmi Go", "Téléphone d'entrée de gamme Android Go avec écran de 5 pouces et batterie de 3000 mAh."),
        "ar": ("شاومي ريدمي جو", "هاتف اقتصادي بنظام أندرويد جو بشاشة 5 بوصات وبطارية 3000 مللي أمبير."),
        "sw": ("Xiaomi Redmi Go", "Simu ya bei nafuu ya Android Go yenye skrini ya inchi 5 na betri ya mAh 3000."),
    },
    "XM-NOTE13": {
        "fr": ("Xiaomi Redmi Note 13", "Écran AMOLED de 6,67 pouces, appareil photo de 108 Mpx, charge rapide 33 W."),
        "ar": ("شاومي ريدمي نوت 13", "شاشة AMOLED مقاس 6.67 بوصة، كاميرا 108 ميجابكسل، شحن سريع 33 واط."),
        "sw": ("Xiaomi Redmi Note 13", "Skrini ya AMOLED ya inchi 6.67, kamera ya MP 108, chaji ya haraka ya W 33."),
    },
    "XM-13C": {
        "fr": ("Xiaomi Redmi 13C", "Grand écran de 6,74 pouces et batterie de 5000 mAh qui tient deux jours."),
        "ar": ("شاومي ريدمي 13C", "شاشة كبيرة 6.74 بوصة وبطارية 5000 مللي أمبير تدوم يومين."),
        "sw": ("Xiaomi Redmi 13C", "Skrini kubwa ya inchi 6.74 na betri ya mAh 5000 inayodumu siku mbili."),
    },
    "XM-A3": {
        "fr": ("Xiaomi Redmi A3 3 Go + 64 Go", "Smartphone abordable avec écran 90 Hz et batterie de 5000 mAh."),
        "ar": ("شاومي ريدمي A3 ‏3+64 جيجابايت", "هاتف ذكي بسعر مناسب بشاشة 90 هرتز وبطارية 5000 مللي أمبير."),
        "sw": ("Xiaomi Redmi A3 3GB+64GB", "Simu janja ya bei nafuu yenye skrini ya Hz 90 na betri ya mAh 5000."),
    },
    "XM-14T": {
        "fr": ("Xiaomi 14T 12 Go + 256 Go", "Optique Leica, écran AMOLED 144 Hz et HyperCharge 67 W."),
        "ar": ("شاومي 14T ‏12+256 جيجابايت", "عدسات لايكا وشاشة AMOLED بتردد 144 هرتز وشحن HyperCharge بقوة 67 واط."),
        "sw": ("Xiaomi 14T 12GB+256GB", "Lenzi za Leica, skrini ya AMOLED ya Hz 144 na HyperCharge ya W 67."),
    },
    "XM-POCOX6": {
        "fr": ("POCO X6 Pro 8 Go + 256 Go", "Téléphone performant Dimensity 8300-Ultra avec écran 1,5K."),
        "ar": ("بوكو X6 برو ‏8+256 جيجابايت", "هاتف عالي الأداء بمعالج Dimensity 8300-Ultra وشاشة 1.5K."),
    },
    "TC-SPARK20": {
        "fr": ("Tecno Spark 20", "Appareil photo 50 Mpx, écran 90 Hz et double haut-parleur."),
        "ar": ("تكنو سبارك 20", "كاميرا 50 ميجابكسل وشاشة 90 هرتز ومكبرا صوت."),
        "sw": ("Tecno Spark 20", "Kamera ya MP 50, skrini ya Hz 90 na spika mbili."),
    },
    "TC-CAMON30": {
        "fr": ("Tecno Camon 30 8 Go + 256 Go", "Téléphone photo portrait avec écran AMOLED de 6,78 pouces."),
        "ar": ("تكنو كامون 30 ‏8+256 جيجابايت", "هاتف للتصوير البورتريه بشاشة AMOLED مقاس 6.78 بوصة."),
    },
    "TC-POP8": {
        "fr": ("Tecno Pop 8 3 Go + 64 Go", "Smartphone d'entrée de gamme avec écran 90 Hz de 6,6 pouces."),
        "ar": ("تكنو بوب 8 ‏3+64 جيجابايت", "هاتف ذكي اقتصادي بشاشة 6.6 بوصة بتردد 90 هرتز."),
        "sw": ("Tecno Pop 8 3GB+64GB", "Simu janja ya bei nafuu yenye skrini ya inchi 6.6 ya Hz 90."),
    },
    "TC-POVA6": {
        "fr": ("Tecno Pova 6 Pro 8 Go + 256 Go", "Batterie de 6000 mAh et charge rapide 70 W pour les joueurs."),
        "ar": ("تكنو بوفا 6 برو ‏8+256 جيجابايت", "بطارية 6000 مللي أمبير وشحن سريع 70 واط لمحبي الألعاب."),
    },
    "XM-WATCH4": {
        "fr": ("Montre connectée Redmi Watch 4", "Montre connectée AMOLED de 1,97 pouce avec GNSS et 20 jours d'autonomie."),
        "ar": ("ساعة ريدمي الذكية 4", "ساعة ذكية بشاشة AMOLED مقاس 1.97 بوصة مع GNSS وبطارية تدوم 20 يومًا."),
        "sw": ("Saa janja Redmi Watch 4", "Saa janja ya AMOLED ya inchi 1.97 yenye GNSS na betri ya siku 20."),
    },
    "XM-BAND8": {
        "fr": ("Bracelet connecté Xiaomi Smart Band 8", "Bracelet d'activité avec 150 modes sportifs et 16 jours d'autonomie."),
        "ar": ("سوار شاومي الذكي 8", "سوار لياقة بـ150 وضعًا رياضيًا وبطارية تدوم 16 يومًا."),
        "sw": ("Bangili janja Xiaomi Smart Band 8", "Bangili ya mazoezi yenye aina 150 za michezo na betri ya siku 16."),
    },
    "XM-BAND8A": {
        "fr": ("Bracelet Xiaomi Smart Band 8 Active", "Traqueur d'activité léger avec écran de 1,47 pouce."),
        "ar": ("سوار شاومي الذكي 8 أكتيف", "متتبع لياقة خفيف بشاشة 1.47 بوصة."),
    },
    "XM-RBAND2": {
        "fr": ("Bracelet Redmi Smart Band 2", "Bracelet fin avec suivi du rythme cardiaque et de la SpO2."),
        "ar": ("سوار ريدمي الذكي 2", "سوار نحيف لقياس نبض القلب ونسبة الأكسجين في الدم."),
    },
    "XM-WATCH2L": {
        "fr": ("Montre Redmi Watch 2 Lite", "Montre GPS multisystème avec plus de 100 modes sportifs."),
        "ar": ("ساعة ريدمي 2 لايت", "ساعة بنظام GPS متعدد مع أكثر من 100 وضع رياضي."),
    },
    "TC-WATCH3": {
        "fr": ("Montre connectée Tecno Watch 3", "Montre avec écran de 1,83 pouce et appels Bluetooth."),
        "ar": ("ساعة تكنو الذكية 3", "ساعة ذكية بشاشة 1.83 بوصة مع مكالمات بلوتوث."),
    },
    "TC-WATCHPRO2": {
        "fr": ("Montre Tecno Watch Pro 2", "Montre connectée AMOLED avec affichage permanent."),
        "ar": ("ساعة تكنو برو 2", "ساعة ذكية بشاشة AMOLED دائمة العرض."),
    },
    "XM-CHG67": {
        "fr": ("Chargeur Xiaomi 67 W avec câble", "Chargeur secteur 67 W avec câble USB-C."),
        "ar": ("شاحن شاومي 67 واط مع كابل", "شاحن حائط 67 واط مع كابل USB-C."),
        "sw": ("Chaja ya Xiaomi W 67 pamoja na waya", "Chaja ya ukutani ya W 67 yenye waya wa USB-C."),
    },
    "XM-CHG33": {
        "fr": ("Chargeur Xiaomi 33 W", "Chargeur rapide pour téléphones Redmi et POCO."),
        "ar": ("شاحن شاومي 33 واط", "شاحن سريع لهواتف ريدمي وبوكو."),
    },
    "XM-CHG120": {
        "fr": ("Chargeur Xiaomi HyperCharge 120 W avec câble", "Chargeur 120 W qui recharge un téléphone en 20 minutes environ."),
        "ar": ("شاحن شاومي HyperCharge ‏120 واط مع كابل", "شاحن 120 واط يملأ الهاتف في نحو 20 دقيقة."),
    },
    "XM-PB20K": {
        "fr": ("Batterie externe Mi Power Bank 3 20000 mAh", "Batterie externe avec charge rapide bidirectionnelle 18 W."),
        "ar": ("باور بانك مي 3 ‏20000 مللي أمبير", "شاحن متنقل بشحن سريع ثنائي الاتجاه 18 واط."),
        "sw": ("Power bank Mi 3 mAh 20000", "Power bank yenye chaji ya haraka ya pande mbili ya W 18."),
    },
    "XM-PB10K": {
        "fr": ("Batterie externe Redmi 10000 mAh", "Batterie externe compacte avec deux sorties USB."),
        "ar": ("باور بانك ريدمي 10000 مللي أمبير", "شاحن متنقل صغير بمنفذي USB."),
    },
    "XM-CABLE": {
        "fr": ("Câble USB-C Xiaomi 1 m", "Câble USB-C tressé pour la charge rapide 6 A."),
        "ar": ("كابل شاومي USB-C بطول 1 متر", "كابل USB-C مجدول للشحن السريع 6 أمبير."),
    },
    "TC-CHG18": {
        "fr": ("Chargeur Tecno 18 W", "Chargeur rapide 18 W avec câble micro-USB."),
        "ar": ("شاحن تكنو 18 واط", "شاحن سريع 18 واط مع كابل micro-USB."),
    },
    "TC-PB10K": {
        "fr": ("Batterie externe Tecno 10000 mAh", "Batterie externe fine avec témoin de charge LED."),
        "ar": ("باور بانك تكنو 10000 مللي أمبير", "شاحن متنقل نحيف بمؤشر شحن LED."),
    },
    "XM-BUDS5": {
        "fr": ("Écouteurs Redmi Buds 5", "Écouteurs à réduction de bruit active avec 40 heures d'autonomie."),
        "ar": ("سماعات ريدمي بادز 5", "سماعات بخاصية إلغاء الضوضاء وبطارية تدوم 40 ساعة."),
        "sw": ("Vifaa vya masikioni Redmi Buds 5", "Vifaa vya masikioni vinavyozuia kelele vyenye betri ya saa 40."),
    },
    "XM-BUDS4A": {
        "fr": ("Écouteurs Redmi Buds 4 Active", "Écouteurs légers avec 28 heures d'écoute."),
        "ar": ("سماعات ريدمي بادز 4 أكتيف", "سماعات خفيفة بتشغيل يصل إلى 28 ساعة."),
    },
    "XM-BUDS4P": {
        "fr": ("Écouteurs Xiaomi Buds 4 Pro", "Écouteurs sans fil haute résolution à réduction de bruit adaptative."),
        "ar": ("سماعات شاومي بادز 4 برو", "سماعات لاسلكية عالية الدقة بإلغاء ضوضاء تكيفي."),
    },
    "XM-BUDS5P": {
        "fr": ("Écouteurs Redmi Buds 5 Pro", "Réduction de bruit hybride 52 dB et double transducteur."),
        "ar": ("سماعات ريدمي بادز 5 برو", "إلغاء ضوضاء هجين حتى 52 ديسيبل ومشغلان صوتيان."),
    },
    "XM-INEAR": {
        "fr": ("Écouteurs filaires Mi In-Ear Basic", "Écouteurs filaires avec micro et télécommande."),
        "ar": ("سماعات مي السلكية بيسك", "سماعات سلكية مع ميكروفون وأزرار تحكم."),
    },
    "XM-SPK": {
        "fr": ("Enceinte d'extérieur Xiaomi Sound Outdoor", "Enceinte Bluetooth étanche de 30 W."),
        "ar": ("مكبر صوت شاومي الخارجي", "مكبر صوت بلوتوث مقاوم للماء بقوة 30 واط."),
    },
    "TC-BUDS3": {
        "fr": ("Écouteurs Tecno Buds 3", "Écouteurs sans fil avec réduction du bruit ambiant."),
        "ar": ("سماعات تكنو بادز 3", "سماعات لاسلكية بإلغاء ضوضاء البيئة المحيطة."),
    },
    "TC-SONIC1": {
        "fr": ("Enceinte Tecno Sonic 1", "Enceinte portable aux basses profondes avec radio FM."),
        "ar": ("مكبر صوت تكنو سونيك 1", "مكبر صوت محمول بجهير عميق وراديو FM."),
    },
    "XM-TVA32": {
        "fr": ("Téléviseur Xiaomi TV A 32\"", "Téléviseur connecté HD avec Google TV et Dolby Audio."),
        "ar": ("تلفزيون شاومي A مقاس 32 بوصة", "تلفزيون ذكي HD مع Google TV وDolby Audio."),
    },
    "XM-TVA43": {
        "fr": ("Téléviseur Xiaomi TV A 43\"", "Téléviseur connecté Full HD avec Google TV et cadre métallique."),
        "ar": ("تلفزيون شاومي A مقاس 43 بوصة", "تلفزيون ذكي Full HD مع Google TV وإطار معدني."),
    },
    "XM-TVAP55": {
        "fr": ("Téléviseur Xiaomi TV A Pro 55\" 4K", "Téléviseur connecté QLED 4K avec Dolby Vision."),
        "ar": ("تلفزيون شاومي A برو مقاس 55 بوصة 4K", "تلفزيون ذكي QLED بدقة 4K مع Dolby Vision."),
    },
    "XM-TVBOXS": {
        "fr": ("Xiaomi TV Box S (2e génération)", "Boîtier de streaming 4K Ultra HD avec Google TV."),
        "ar": ("شاومي TV Box S (الجيل الثاني)", "جهاز بث بدقة 4K Ultra HD مع Google TV."),
    },
    "XM-STICK4K": {
        "fr": ("Clé Xiaomi TV Stick 4K", "Clé de streaming portable avec Dolby Atmos."),
        "ar": ("عصا شاومي TV Stick 4K", "عصا بث محمولة مع Dolby Atmos."),
    },
    "XM-VAC": {
        "fr": ("Aspirateur robot Xiaomi E10", "Aspirateur et serpillière robot, aspiration 4000 Pa."),
        "ar": ("مكنسة شاومي الروبوتية E10", "مكنسة وممسحة روبوتية بقوة شفط 4000 باسكال."),
        "sw": ("Roboti ya kufagia Xiaomi E10", "Roboti ya kufagia na kupiga deki yenye nguvu ya kufyonza ya Pa 4000."),
    },
    "XM-CAM": {
        "fr": ("Caméra connectée Xiaomi C200", "Caméra de sécurité 360° avec vision nocturne."),
        "ar": ("كاميرا شاومي الذكية C200", "كاميرا أمان منزلية 360 درجة مع رؤية ليلية."),
    },
    "XM-AIR4L": {
        "fr": ("Purificateur d'air Xiaomi Smart Air Purifier 4 Lite", "Purificateur à filtre HEPA pour pièces jusqu'à 43 m²."),
        "ar": ("منقي الهواء الذكي شاومي 4 لايت", "منقٍ بفلتر HEPA حقيقي للغرف حتى 43 مترًا مربعًا."),
    },
    "XM-BULB": {
        "fr": ("Ampoule LED connectée Xiaomi", "Ampoule Wi-Fi 16 millions de couleurs, pilotable par appli et à la voix."),
        "ar": ("مصباح شاومي LED الذكي", "مصباح Wi-Fi بـ16 مليون لون يُتحكم به بالتطبيق والصوت."),
    },
    "XM-KETTLE": {
        "fr": ("Bouilloire électrique Xiaomi 2", "Bouilloire de 1,7 L avec résistance de 1800 W."),
        "ar": ("غلاية شاومي الكهربائية 2", "غلاية سعة 1.7 لتر بعنصر تسخين 1800 واط."),
    },
    "XM-SCALE": {
        "fr": ("Balance impédancemètre Xiaomi S400", "Balance connectée mesurant 25 données corporelles."),
        "ar": ("ميزان شاومي لتحليل الجسم S400", "ميزان ذكي يقيس 25 مؤشرًا للجسم."),
    },
}


# A variant's memory ("6-128": 6 GB of RAM, 128 GB of storage) as each language writes it.
MEMORY = {
    "fr": "{ram} Go + {storage} Go",
    "ar": "{ram}+{storage} جيجابايت",
    "sw": "{ram}GB+{storage}GB",
}
# Variant titles repeat the family's name less its brand ("Redmi Go 1GB+16GB").
BRAND_WORDS = {"fr": "Xiaomi ", "ar": "شاومي ", "sw": "Xiaomi "}


def variant_titles(upc: str, suffix: str) -> dict[str, str]:
    """A variant's title per language: its family's translated name and its memory."""
    ram, _, storage = suffix.partition("-")
    titles = {}
    for language, (family, _description) in PRODUCTS.get(upc, {}).items():
        name = family.removeprefix(BRAND_WORDS.get(language, ""))
        titles[language] = f"{name} {MEMORY[language].format(ram=ram, storage=storage)}"
    return titles


def seed(variants: dict[str, list[str]] | None = None) -> None:
    """Create or update the demo's translations; products or categories not there are skipped.

    ``variants``: parent UPC -> its variants' UPC suffixes ("6-128"), titled from the parent.
    """
    products = Product.objects.in_bulk(list(PRODUCTS), field_name="upc")
    children = Product.objects.in_bulk(
        [f"{upc}-{suffix}" for upc, suffixes in (variants or {}).items() for suffix in suffixes],
        field_name="upc",
    )
    for upc, suffixes in (variants or {}).items():
        for suffix in suffixes:
            child = children.get(f"{upc}-{suffix}")
            if child is None:
                continue
            for language, title in variant_titles(upc, suffix).items():
                ProductTranslation.objects.update_or_create(
                    parent=child, language=language, defaults={"title": title},
                )
    for upc, languages in PRODUCTS.items():
        product = products.get(upc)
        if product is None:
            continue
        for language, (title, description) in languages.items():
            ProductTranslation.objects.update_or_create(
                parent=product, language=language,
                defaults={"title": title, "description": description},
            )
    for category in Category.objects.filter(name__in=list(CATEGORIES)):
        for language, name in CATEGORIES[category.name].items():
            CategoryTranslation.objects.update_or_create(
                parent=category, language=language, defaults={"name": name},
            )

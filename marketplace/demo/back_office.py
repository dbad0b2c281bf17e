"""
The demo's brand stores and back-office accounts (issue 4), idempotently.

``seed_back_office(password)`` runs at the end of ``seed_demo``: it records
each catalogue product's brand, writes the stores' pages (with their texts in
French, Arabic and Swahili, and a drawn logo and banner), features a few
products on each channel's home page, and creates one account per back-office
role, all with ``password``:

- ``xiaomi.manager`` and ``tecno.manager``: brand managers;
- ``ng.operator`` and ``eg.operator``: country operators of Nigeria and Egypt;
- ``lagos.seller``: works for Lagos Gadgets Hub, the NG third-party seller.
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from oscar.apps.catalogue.models import Product

from marketplace.brands.models import Brand
from marketplace.channels.models import Channel
from marketplace.demo import catalogue
from marketplace.demo.images import DRAWING, store_banner_png, store_logo_png
from marketplace.memberships.services import membership_grant
from marketplace.partner.models import Partner
from marketplace.partner.selectors import sold_in_channel
from marketplace.stores.models import (
    FeaturedProduct,
    ProductBrand,
    StoreProfile,
    StoreProfileTranslation,
)

# store slug -> colour, {language: (tagline, description)}; English is the base text.
STORE_PAGES = {
    "mi-official-store": ((255, 103, 0), {
        "en": ("Innovation for everyone",
               "Xiaomi's official store: genuine phones, wearables and smart home devices, "
               "with the manufacturer's warranty."),
        "fr": ("L’innovation pour tous",
               "La boutique officielle de Xiaomi : téléphones, objets connectés et maison "
               "intelligente authentiques, avec la garantie du fabricant."),
        "ar": ("الابتكار للجميع",
               "متجر شاومي الرسمي: هواتف وأجهزة قابلة للارتداء وأجهزة منزلية ذكية أصلية "
               "بضمان الشركة المصنعة."),
        "sw": ("Ubunifu kwa kila mtu",
               "Duka rasmi la Xiaomi: simu, saa janja na vifaa vya nyumbani halisi, "
               "pamoja na dhamana ya mtengenezaji."),
    }),
    "tecno-official-store": ((0, 84, 166), {
        "en": ("Stop at nothing", "Tecno's official store: smartphones and accessories built for Africa."),
        "fr": ("Ne vous arrêtez jamais",
               "La boutique officielle de Tecno : smartphones et accessoires conçus pour l’Afrique."),
        "ar": ("لا شيء يوقفك", "متجر تكنو الرسمي: هواتف ذكية وإكسسوارات مصممة لأفريقيا."),
        "sw": ("Usisimame", "Duka rasmi la Tecno: simu janja na vifaa vilivyoundwa kwa ajili ya Afrika."),
    }),
    "lagos-gadgets-hub": ((39, 174, 96), {
        "en": ("Gadgets in Lagos, delivered fast", "Phones and accessories from Computer Village."),
    }),
    "nairobi-phone-centre": ((142, 68, 173), {
        "en": ("Your phone shop on Moi Avenue", "Phones, bands and power banks in Nairobi."),
        "sw": ("Duka lako la simu Moi Avenue", "Simu, bendi na benki za nguvu jijini Nairobi."),
    }),
}

# Featured on each channel's home page, in this order, where the channel sells them.
FEATURED = ["XM-NOTE13", "TC-CAMON30", "XM-14T", "XM-BUDS5", "XM-WATCH4", "TC-SPARK20"]

# username -> ("brand" | "channel" | "seller", natural key)
ACCOUNTS = {
    "xiaomi.manager": ("brand", "xiaomi"),
    "tecno.manager": ("brand", "tecno"),
    "ng.operator": ("channel", "NG"),
    "eg.operator": ("channel", "EG"),
    "lagos.seller": ("seller", "lagos-gadgets-hub"),
}


def _product_brands():
    brands = {b.slug: b for b in Brand.objects.all()}
    for upc, brand_slug, *_rest in catalogue.PRODUCTS:
        product = Product.objects.filter(upc=upc).first()
        if product is not None:
            ProductBrand.objects.update_or_create(
                product=product, defaults={"brand": brands[brand_slug]}
            )


def _store_pages():
    for slug, (colour, texts) in STORE_PAGES.items():
        store = Partner.objects.filter(slug=slug).first()
        if store is None:
            continue
        tagline, description = texts["en"]
        profile, _ = StoreProfile.objects.update_or_create(
            partner=store, defaults={"tagline": tagline, "description": description}
        )
        initials = "".join(word[0] for word in store.name.split()[:2]).upper()
        # Drawn once (again when the drawing changes: DRAWING is in the file's name).
        if DRAWING not in (profile.logo.name or ""):
            profile.logo.save(f"{slug}-{DRAWING}.png",
                              ContentFile(store_logo_png(initials, colour)), save=False)
        if DRAWING not in (profile.banner.name or ""):
            profile.banner.save(f"{slug}-{DRAWING}.png",
                                ContentFile(store_banner_png(colour)), save=False)
        profile.save()
        for language, (tagline, description) in texts.items():
            if language == "en":
                continue
            StoreProfileTranslation.objects.update_or_create(
                parent=profile, language=language,
                defaults={"tagline": tagline, "description": description},
            )


def _featured():
    products = {p.upc: p for p in Product.objects.filter(upc__in=FEATURED)}
    for channel in Channel.objects.all():
        sold = set(
            Product.objects.filter(upc__in=FEATURED).filter(sold_in_channel(channel))
            .values_list("upc", flat=True)
        )
        for position, upc in enumerate(u for u in FEATURED if u in sold):
            FeaturedProduct.objects.update_or_create(
                channel=channel, product=products[upc], defaults={"position": position}
            )


def _accounts(password):
    User = get_user_model()
    for username, (role, key) in ACCOUNTS.items():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"email": f"{username}@example.com", "is_staff": True, "is_active": True},
        )
        user.set_password(password)
        user.save()
        if role == "brand":
            membership_grant(user=user, brand=Brand.objects.get(slug=key))
        elif role == "channel":
            membership_grant(user=user, channel=Channel.objects.get(country=key))
        else:
            membership_grant(user=user, seller=Partner.objects.get(slug=key))


def seed_back_office(password: str) -> None:
    _product_brands()
    _store_pages()
    _featured()
    _accounts(password)

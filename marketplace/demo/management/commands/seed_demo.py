"""
``python manage.py seed_demo [--password P]``: the demo marketplace, idempotently.

Running it again leaves the same data: everything is looked up by a natural key
(UPC, slug, e-mail) and updated in place.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import Product, ProductCategory, ProductClass, ProductImage

from marketplace.brands.models import Brand
from marketplace.channels.models import Channel
from marketplace.channels.money import quantize, quantum
from marketplace.channels.tax import tax_on
from marketplace.demo import catalogue, translations
from marketplace.demo.aftersales import seed_aftersales
from marketplace.demo.back_office import seed_back_office
from marketplace.demo.banners import seed_banners
from marketplace.demo.delivery import seed_delivery
from marketplace.demo.exclusives import seed_exclusives
from marketplace.demo.flashsales import seed_flash_sales
from marketplace.demo.helpdesk import seed_helpdesk
from marketplace.demo.images import DRAWING, product_png
from marketplace.demo.payments import seed_payment_options
from marketplace.demo.renditions import make_demo_renditions
from marketplace.demo.retail import seed_messages, seed_retail
from marketplace.partner.models import Partner, StockRecord
from marketplace.thumbnails.services import ensure_renditions

DEFAULT_PASSWORD = "marketplace-demo"
PHONE_PREFIXES = ("XM-REDMIGO", "XM-NOTE13", "XM-13C", "XM-A3", "TC-")
LOCAL_WAREHOUSES = {"NG", "EG", "KE"}

BRANDS = [
    ("xiaomi", "Xiaomi", "mi-official-store", "Mi Official Store",
     "Xiaomi's official store: genuine phones, wearables and smart home devices with warranty."),
    ("tecno", "Tecno", "tecno-official-store", "Tecno Official Store",
     "Tecno's official store: smartphones and accessories built for Africa."),
]


def shelf_price_excl_tax(usd: Decimal, channel: Channel) -> Decimal:
    """A believable local shelf price, returned before tax as listings store it.

    Listings store prices before tax and the tax is rounded on its own, so not
    every round shelf price can be reached (XOF 95,400 at 18% falls between
    95,399 and 95,401): the nearest round price that can be is taken.
    """
    rate, step = catalogue.LOCAL_PRICING[channel.currency]
    target = (Decimal(usd) * rate / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    tax_rate, unit = channel.tax_rate(), quantum(channel.currency)
    for offset in (0, -1, 1, -2, 2, -3, 3):
        shelf = target + offset * step
        estimate = quantize(shelf / (1 + tax_rate), channel.currency)
        for excl in (estimate, estimate + unit, estimate - unit):
            if excl + tax_on(excl, tax_rate, channel.currency) == shelf:
                return excl
    return quantize(target / (1 + tax_rate), channel.currency)


class Command(BaseCommand):
    help = "Build the demo marketplace (channels, brands, stores, sellers, catalogue, users)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_PASSWORD}).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        channels = {c.country.code: c for c in Channel.objects.prefetch_related("tax_components")}
        missing = {"NG", "EG", "KE", "CI", "MA", "GH"} - set(channels)
        if missing:
            self.stderr.write(f"Channels missing (run migrate first): {sorted(missing)}")
            raise SystemExit(1)

        stores = self._brands_and_stores(channels)
        products = self._catalogue()
        self._official_listings(products, stores, channels)
        self._third_party_sellers(channels)
        # French, Arabic and some Swahili titles, descriptions, categories; variants' titles too.
        translations.seed({upc: [v[0] for v in variants] for upc, *_, variants, _d in catalogue.PRODUCTS})
        seed_delivery(channels)
        seed_payment_options(channels)
        self._users(password)
        seed_back_office(password)  # brand stores' pages, featured products, back-office accounts
        seed_banners()  # a home-page banner per channel
        seed_exclusives(channels)  # Redmi Go exclusive to Mi Official Store; one rule to come
        seed_retail(channels, password)  # partner shops in the big cities, zones, retailer logins
        seed_messages(channels)  # an order by text message to each channel's first shop
        seed_aftersales(channels, password)  # warranty plans, service centres and their staff
        seed_helpdesk(channels, password)  # help desks; customer-service agents in KE and NG
        seed_flash_sales(channels)  # the Mi Fan Festival: a live sale and the next one, from now
        make_demo_renditions()  # every picture in WebP, with or without a Celery worker
        self.stdout.write(self.style.SUCCESS(
            f"Demo marketplace ready: {len(channels)} channels, "
            f"{Product.objects.count()} products, {StockRecord.objects.count()} listings."
        ))

    def _brands_and_stores(self, channels):
        stores = {}
        for slug, name, store_slug, store_name, description in BRANDS:
            brand, _ = Brand.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )
            store, _ = Partner.objects.update_or_create(
                slug=store_slug,
                defaults={"name": store_name, "brand": brand, "is_official_store": True},
            )
            store.channels.set(channels.values())
            stores[slug] = store
        return stores

    def _catalogue(self):
        """Products by UPC: standalone products and variants (what can be bought)."""
        phone_class, _ = ProductClass.objects.get_or_create(
            slug="phone", defaults={"name": "Phone", "requires_shipping": True, "track_stock": True}
        )
        accessory_class, _ = ProductClass.objects.get_or_create(
            slug="device", defaults={"name": "Device", "requires_shipping": True, "track_stock": True}
        )
        categories = {name: create_from_breadcrumbs(name) for name in catalogue.CATEGORIES}
        sellable = {}
        for upc, brand, category, title, usd, variants, description in catalogue.PRODUCTS:
            product_class = phone_class if category == "Phones" else accessory_class
            product, _ = Product.objects.update_or_create(
                upc=upc,
                defaults={
                    "title": title, "slug": slugify(title), "description": description,
                    "product_class": product_class,
                    "structure": Product.PARENT if variants else Product.STANDALONE,
                    "is_public": True,
                },
            )
            ProductCategory.objects.get_or_create(product=product, category=categories[category])
            self._image(product, title, category)
            if not variants:
                sellable[upc] = (product, Decimal(usd), brand)
            for suffix, variant_title, variant_usd in variants:
                child, _ = Product.objects.update_or_create(
                    upc=f"{upc}-{suffix}",
                    defaults={
                        "title": variant_title, "slug": slugify(variant_title), "parent": product,
                        "structure": Product.CHILD, "product_class": None, "is_public": True,
                    },
                )
                sellable[child.upc] = (child, Decimal(variant_usd), brand)
        return sellable

    def _image(self, product, title, category):
        existing = product.images.first()
        if existing is not None and DRAWING in existing.original.name:
            # A demo seeded before thumbnails were made at save time gets them now.
            ensure_renditions(existing)
            return
        # New, or drawn the older way: (re)drawn; saving makes its thumbnails.
        image = existing or ProductImage(product=product, display_order=0, caption=title)
        image.original.save(f"{slugify(title)}-{DRAWING}.png",
                            ContentFile(product_png(title, category)), save=False)
        image.save()

    def _listing(self, product, seller, channel, usd, stock, from_abroad=False):
        StockRecord.objects.update_or_create(
            product=product, partner=seller, channel=channel,
            defaults={
                "partner_sku": f"{seller.slug}-{product.upc}".upper()[:128],
                "price": shelf_price_excl_tax(usd, channel),
                "num_in_stock": stock, "is_live": True, "ships_from_abroad": from_abroad,
            },
        )

    def _official_listings(self, products, stores, channels):
        # Fixed seed: the same stock figures on every run.
        rng = random.Random(2026)
        for _upc, (product, usd, brand) in sorted(products.items()):
            for _code, channel in sorted(channels.items()):
                stock = rng.choice([0, 3, 8, 15, 25, 40, 60, 120]) if rng.random() > 0.05 else 0
                # Most brand stock ships from the factory country; phones for
                # the three biggest markets sit in local warehouses.
                local = product.upc.startswith(PHONE_PREFIXES) and channel.country.code in LOCAL_WAREHOUSES
                self._listing(product, stores[brand], channel, usd, stock, from_abroad=not local)

    def _third_party_sellers(self, channels):
        for slug, name, country, offers in catalogue.THIRD_PARTY_SELLERS:
            seller, _ = Partner.objects.update_or_create(slug=slug, defaults={"name": name})
            seller.channels.set([channels[country]])
            for upc, usd in offers:
                product = Product.objects.get(upc=upc)
                self._listing(product, seller, channels[country], Decimal(usd), 10)

    def _users(self, password):
        User = get_user_model()
        admin, _ = User.objects.update_or_create(
            username="admin",
            defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
        )
        admin.set_password(password)
        admin.save()
        shopper, _ = User.objects.update_or_create(
            username="shopper",
            defaults={"email": "shopper@example.com", "first_name": "Ada", "last_name": "Obi"},
        )
        shopper.set_password(password)
        shopper.save()

"""Small builders for test data, named by what they make."""

from decimal import Decimal
from itertools import count

from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import Product, ProductCategory, ProductClass

from marketplace.brands.models import Brand
from marketplace.partner.models import Partner, StockRecord

_seq = count(1)


def category(name):
    return create_from_breadcrumbs(name)


def product_class():
    return ProductClass.objects.get_or_create(
        slug="device", defaults={"name": "Device", "track_stock": True}
    )[0]


def official_store(brand_name, channels=()):
    brand, _ = Brand.objects.get_or_create(slug=slugify(brand_name), defaults={"name": brand_name})
    store, _ = Partner.objects.get_or_create(
        slug=f"{brand.slug}-official-store",
        defaults={"name": f"{brand_name} Official Store", "brand": brand, "is_official_store": True},
    )
    store.channels.set(channels)
    return store


def seller(name, channels=()):
    partner, _ = Partner.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    partner.channels.set(channels)
    return partner


def product(title=None, *, category=None, parent=None, structure=None):
    n = next(_seq)
    title = title or f"Product {n}"
    if structure is None:
        structure = Product.CHILD if parent else Product.STANDALONE
    item = Product.objects.create(
        title=title, slug=slugify(title) or f"p{n}", upc=f"UPC-{n}",
        product_class=None if parent else product_class(), parent=parent,
        structure=structure, is_public=True,
    )
    if category is not None:
        ProductCategory.objects.create(product=item, category=category)
    return item


def listing(product, seller, channel, price, stock=10, live=True):
    return StockRecord.objects.create(
        product=product, partner=seller, channel=channel, price=Decimal(price),
        num_in_stock=stock, partner_sku=f"SKU-{next(_seq)}", is_live=live,
    )

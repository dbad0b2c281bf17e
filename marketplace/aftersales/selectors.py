"""Reading warranty plans: which apply to a product in a channel, in one query."""

from django.db.models import Exists, OuterRef, Q
from oscar.apps.catalogue.models import ProductCategory

from marketplace.localisation.content import annotate_translations
from marketplace.stores.models import ProductBrand

from .models import WarrantyPlan, WarrantyPlanTranslation


def plans_for_product(*, channel, product, languages) -> list[WarrantyPlan]:
    """Active plans of ``channel`` covering ``product`` (or its family), cheapest cover first.

    A plan covers a product it names, or a product in one of its categories
    or their subcategories (materialised paths: a subcategory's path starts
    with its ancestors'). A brand's plan covers only that brand's products.
    """
    product_ids = [product.pk] + ([product.parent_id] if product.parent_id else [])
    named = WarrantyPlan.products.through.objects.filter(
        warrantyplan=OuterRef("pk"), product_id__in=product_ids
    )
    in_category = WarrantyPlan.categories.through.objects.filter(warrantyplan=OuterRef("pk")).filter(
        Exists(ProductCategory.objects.filter(
            product_id__in=product_ids, category__path__startswith=OuterRef("category__path")
        ))
    )
    brand_ok = Q(brand__isnull=True) | Exists(
        ProductBrand.objects.filter(brand=OuterRef("brand"), product_id__in=product_ids)
    )
    plans = WarrantyPlan.objects.filter(
        Q(Exists(named)) | Q(Exists(in_category)), brand_ok, channel=channel, is_active=True
    ).order_by("position", "months", "pk")
    return list(annotate_translations(plans, WarrantyPlanTranslation, ("name", "terms"), languages))


def covered_expression(channel, product_ref: str = "pk", parent_ref: str = "parent_id"):
    """An ``Exists`` for a product query: does an active plan of ``channel`` cover the row?

    A product page asks it as a column of the product's own query, so a product
    without plans costs no query for them.
    """
    ids = (OuterRef(product_ref), OuterRef(parent_ref))
    named = WarrantyPlan.products.through.objects.filter(
        warrantyplan__channel=channel, warrantyplan__is_active=True
    ).filter(Q(product_id=ids[0]) | Q(product_id=ids[1]))
    in_category = WarrantyPlan.categories.through.objects.filter(
        warrantyplan__channel=channel, warrantyplan__is_active=True
    ).filter(Exists(
        ProductCategory.objects.filter(Q(product_id=OuterRef(OuterRef(product_ref)))
                                       | Q(product_id=OuterRef(OuterRef(parent_ref))),
                                       category__path__startswith=OuterRef("category__path"))
    ))
    return Exists(named) | Exists(in_category)


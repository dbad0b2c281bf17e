"""A basket's lines with everything its pages show, in one query.

Oscar reads a basket's lines with the product and listing, then the lines'
options and the products' images in two more queries, then each product's
class (its availability asks whether stock is tracked) and, in another
language, each product's translation: a query per line. Here the product, its
parent, their classes and the listing's seller come joined; the title in the
shopper's languages, the primary image and whether a line has options come as
columns of the same query. Options are read only for lines that have some.

That query is built and compiled to SQL once per process and set of languages
(``compiledquery.Compiled``): building and compiling it (five joins, five subqueries) took
longer than running it, on every page of a shopper with a basket.
"""

from django.db.models import Exists, OuterRef, Subquery, prefetch_related_objects
from oscar.apps.catalogue.models import ProductImage

from marketplace.compiledquery import INT_SENTINELS, Compiled, CompiledCache
from marketplace.localisation.content import (
    current_languages,
    mark_translated,
    needs_translations,
    translation_expressions,
)
from marketplace.localisation.models import ProductTranslation


def _image(product_ref: str, field: str):
    images = ProductImage.objects.filter(product=OuterRef(product_ref)).order_by("display_order", "pk")
    return Subquery(images.values(field)[:1])


def _set_cache(obj, name, model, rows) -> None:
    queryset = model.objects.none() if not rows else model.objects.filter(pk__in=[r.pk for r in rows])
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    obj._prefetched_objects_cache = getattr(obj, "_prefetched_objects_cache", {})
    obj._prefetched_objects_cache[name] = queryset


# Stands for the basket's id in the compiled SQL (a value no basket has).
_SENTINEL = INT_SENTINELS[0]
_COMPILED = CompiledCache()


def _lines_query(languages) -> Compiled:
    key = tuple(languages) if needs_translations(languages) else ()

    def make():
        from .models import Line, LineAttribute

        lines = (
            Line.objects.filter(basket_id=_SENTINEL)
            .select_related("product__product_class", "product__parent__product_class", "stockrecord__partner")
            .annotate(
                has_attributes=Exists(LineAttribute.objects.filter(line=OuterRef("pk"))),
                own_image_id=_image("product", "pk"),
                own_image=_image("product", "original"),
                parent_image_id=_image("product__parent", "pk"),
                parent_image=_image("product__parent", "original"),
            )
            .order_by("pk")
        )
        if needs_translations(languages):
            lines = _with_titles(lines, languages)
        return Compiled(lines, _SENTINEL)

    return _COMPILED.get(make, key)


def load_lines(basket) -> list:
    """The open basket's lines, oldest first, ready for the mini basket and the basket page."""
    from .models import Line, LineAttribute

    languages = current_languages()
    lines = _lines_query(languages).run(basket.pk)
    basket_field = Line._meta.get_field("basket")
    for line in lines:
        basket_field.set_cached_value(line, basket)  # as basket.lines does
    with_options = [line for line in lines if line.has_attributes]
    if with_options:
        prefetch_related_objects(with_options, "attributes")
    for line in lines:
        if not line.has_attributes:
            _set_cache(line, "attributes", LineAttribute, [])
        _attach_images(line)
        _attach_titles(line, languages)
    return lines


def _attach_images(line) -> None:
    # ``Product.primary_image`` reads ``images.all()`` (a variant without any, its
    # parent's): give both the one image it would pick, or none.
    product, parent = line.product, line.product.parent
    own = _image_row(line.own_image_id, line.own_image, product)
    inherited = _image_row(line.parent_image_id, line.parent_image, parent)
    _set_cache(product, "images", ProductImage, [own] if own else [])
    if parent is not None:
        _set_cache(parent, "images", ProductImage, [inherited] if inherited else [])


def _image_row(pk, path, product):
    if pk is None or product is None:
        return None
    return ProductImage(pk=pk, product=product, original=path, display_order=0)


def _with_titles(lines, languages):
    return lines.annotate(
        **translation_expressions(ProductTranslation, ("title",), languages, through="product",
                                  prefix="product_"),
        **translation_expressions(ProductTranslation, ("title",), languages,
                                  through="product__parent", prefix="parent_"),
    )


def _attach_titles(line, languages) -> None:
    if not needs_translations(languages):
        return
    mark_translated(line.product, {"title": line.product_localised_title}, languages)
    if line.product.parent is not None:
        mark_translated(line.product.parent, {"title": line.parent_localised_title}, languages)

"""A basket's lines with everything its pages show, in one query.

Oscar reads a basket's lines with the product and listing, then the lines'
options and the products' images in two more queries, then each product's
class (its availability asks whether stock is tracked) and, in another
language, each product's translation: a query per line. Here the product, its
parent, their classes and the listing's seller come joined; the title in the
shopper's languages, the primary image and whether a line has options come as
columns of the same query. Options are read only for lines that have some.

That query is built and compiled to SQL once per process and set of languages
(``_Compiled``): building and compiling it (five joins, five subqueries) took
longer than running it, on every page of a shopper with a basket.
"""

import threading

from django.db import connections
from django.db.models import Exists, OuterRef, Subquery, prefetch_related_objects
from django.db.models.query import get_related_populators
from oscar.apps.catalogue.models import ProductImage

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
_SENTINEL = -2_000_000_001


class _Compiled:
    """A queryset's SQL and row-to-instance plan, made once; run with another value for
    the one parameter that was ``_SENTINEL``. Rows become instances as Django's own
    ``ModelIterable`` makes them (select_related populators, annotations, converters)."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        slots = [i for i, value in enumerate(self.params) if value == _SENTINEL]
        if len(slots) != 1:
            raise ValueError("the compiled query must take the sentinel exactly once")
        self.slot = slots[0]
        self.db = queryset.db
        self.select, self.klass_info = compiler.select, compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map
        self.model = self.klass_info["model"]
        fields = self.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in self.select[self.start:self.end]]
        self.converters = list(compiler.get_converters([s[0] for s in self.select[: compiler.col_count]]).items())

    def run(self, value) -> list:
        params = list(self.params)
        params[self.slot] = value
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        populators = get_related_populators(self.klass_info, self.select, self.db)
        objects = []
        for row in rows:
            row = list(row)
            for pos, (converters, expression) in self.converters:
                for converter in converters:
                    row[pos] = converter(row[pos], expression, connection)
            obj = self.model.from_db(self.db, self.init_list, row[self.start:self.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, pos in self.annotation_col_map.items():
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects


_COMPILED: dict = {}
_COMPILED_LOCK = threading.Lock()


def _lines_query(languages) -> _Compiled:
    key = (tuple(languages) if needs_translations(languages) else (), connections["default"].vendor)
    compiled = _COMPILED.get(key)
    if compiled is None:
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
        compiled = _Compiled(lines)
        with _COMPILED_LOCK:
            _COMPILED[key] = compiled
    return compiled


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

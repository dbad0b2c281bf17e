"""
Oscar's catalogue read in the shopper's language.

Oscar's ``Product.get_title`` and ``str(product)`` stay Oscar's: the English
base title, what the back office and scripts see. Whatever a shopper reads
asks for the translation explicitly: ``product_title(product)`` (a title) and
``product_description(product)`` (Oscar's ``__str__``: a variant's attributes
after its family's title), in Python, and ``{{ product|product_title }}`` in
templates (``templatetags/localisation.py``). Basket lines describe themselves
this way (``basket.models.Line``) and order lines store the title as read.
They read the shopper's language, the channel's default, then the English
base title, and for a variant without a title of its own, its parent's title
the same way.

Readers that show many products prefetch the translations
(``selectors.products_for_channel``, ``Basket.all_lines`` do); otherwise the
rows of one product are read once and kept on the instance.
"""

from django.db.models import prefetch_related_objects

from .content import (
    current_languages,
    has_annotated_translation,
    is_annotated_for,
    needs_translations,
    translated,
    translations_prefetch,
)


def load_translations(objects, languages, translation_model=None) -> None:
    """Read the translations of ``objects`` not read yet, in one query."""
    missing = [
        obj for obj in objects
        if obj is not None and obj.pk is not None
        and "translations" not in getattr(obj, "_prefetched_objects_cache", {})
        # Read with the query that loaded them (``content.annotate_translations``).
        and not is_annotated_for(obj, languages)
    ]
    if not missing:
        return
    model = translation_model or missing[0].translations.model
    prefetch_related_objects(missing, translations_prefetch(model, languages))


def translated_text(obj, field: str, languages=None) -> str:
    """``obj.<field>`` in the current languages (see ``content.translated``)."""
    languages = current_languages() if languages is None else languages
    if obj.pk is None:  # not saved yet: no translations
        return getattr(obj, field)
    if needs_translations(languages) and not has_annotated_translation(obj, field, languages):
        load_translations([obj], languages)
    return translated(obj, field, languages)


def product_title(product, languages=None) -> str:
    """A product's title in ``languages``, never empty when the product has one somewhere.

    ``languages`` defaults to the code running now: the active language, then
    the current channel's default, then English (``content.current_languages``).
    """
    languages = current_languages() if languages is None else languages
    if not needs_translations(languages):
        return product.get_title()
    title = translated_text(product, "title", languages)
    if not title and product.parent_id:
        title = product_title(product.parent, languages)
    return title


def product_description(product, languages=None) -> str:
    """Oscar's ``str(product)`` in ``languages``: its own title, else its family's and attributes.

    What a basket line is called (Oscar's ``Line.description`` starts with it).
    """
    languages = current_languages() if languages is None else languages
    if not needs_translations(languages):
        return str(product)
    own_title = translated_text(product, "title", languages)
    if own_title:
        return own_title
    title = product_title(product, languages)
    summary = product.attribute_summary
    return f"{title} ({summary})" if summary else title

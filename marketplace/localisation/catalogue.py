"""
Oscar's catalogue read in the shopper's language.

Oscar's templates (basket, mini basket, checkout, order and e-mail templates)
show ``product.get_title`` and ``str(product)`` (a basket line's description);
rather than fork the catalogue app for two methods, ``install()`` wraps
``Product.get_title`` and ``Product.__str__`` so that inside a channel (a
storefront request, or a task working in ``channels.context.storefront``) it
reads the product's translation: the shopper's language, the channel's
default, then the English base title, and for a variant without a title of its
own, its parent's title the same way. Outside a channel (the admin, scripts)
it is Oscar's method, unchanged.

Readers that show many products prefetch the translations
(``selectors.products_for_channel`` does); otherwise the rows of one product
are read once and kept on the instance.
"""

from django.db.models import prefetch_related_objects
from oscar.apps.catalogue.models import Product

from marketplace.channels.context import get_current_channel

from .content import (
    current_languages,
    has_annotated_translation,
    is_annotated_for,
    needs_translations,
    translated,
    translations_prefetch,
)

_oscar_get_title = Product.get_title
_oscar_str = Product.__str__


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
    """A product's title in ``languages``, never empty when the product has one somewhere."""
    languages = current_languages() if languages is None else languages
    if not needs_translations(languages):
        return _oscar_get_title(product)
    title = translated_text(product, "title", languages)
    if not title and product.parent_id:
        title = product_title(product.parent, languages)
    return title


def get_title(self):
    if get_current_channel() is None:
        return _oscar_get_title(self)
    return product_title(self)


get_title.short_description = getattr(_oscar_get_title, "short_description", None)


def product_str(self):
    """Oscar's ``__str__`` (title, or the parent's title and the variant's attributes)."""
    if get_current_channel() is None:
        return _oscar_str(self)
    languages = current_languages()
    if not needs_translations(languages):
        return _oscar_str(self)
    own_title = translated_text(self, "title", languages)
    if own_title:
        return own_title
    summary = self.attribute_summary
    title = product_title(self, languages)
    return f"{title} ({summary})" if summary else title


def install() -> None:
    """Make ``Product.get_title`` and ``str(product)`` read translations inside a channel."""
    Product.get_title = get_title
    Product.__str__ = product_str


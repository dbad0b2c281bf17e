"""
Entering catalogue content in each language, on the product's and category's page.

``ProductTranslationInline`` and ``CategoryTranslationInline`` are the inlines
brand managers use; ``translation_inline()`` builds the same inline for any
other ``<Model>Translation`` (delivery options, store descriptions).

Whoever registers the product and category admins (Oscar's, or a scoped
back-office admin) may list these inlines themselves; ``attach_translation_inlines``
(run from this app's ``ready()``, after every admin module is imported) adds
them to whatever admin is registered then, if it does not list them yet. So
the inlines are there whichever admin wins the registration.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from oscar.apps.catalogue.models import Category, Product

from .models import CategoryTranslation, ProductTranslation


class TranslationInline(admin.StackedInline):
    """One block per language; the base (English) text stays in the parent's own fields."""

    extra = 0
    min_num = 0
    fields = ("language",)

    def get_max_num(self, request, obj=None, **kwargs):
        from django.conf import settings

        return len(settings.LANGUAGES) - 1


def translation_inline(translation_model, fields, *, base=TranslationInline):
    """An admin inline for ``translation_model`` showing ``fields`` after the language."""
    return type(
        f"{translation_model.__name__}Inline",
        (base,),
        {"model": translation_model, "fields": ("language", *fields), "__module__": __name__},
    )


class ProductTranslationInline(TranslationInline):
    model = ProductTranslation
    fields = ("language", "title", "description")


class CategoryTranslationInline(TranslationInline):
    model = CategoryTranslation
    fields = ("language", "name", "description")


TRANSLATION_INLINES = {Product: ProductTranslationInline, Category: CategoryTranslationInline}


def attach_translation_inlines(site=admin.site) -> None:
    """Add the translation inline to the registered product and category admins."""
    for model, inline in TRANSLATION_INLINES.items():
        try:
            model_admin = site.get_model_admin(model)
        except NotRegistered:
            continue
        inlines = list(model_admin.inlines or [])
        if not any(issubclass(existing, inline) for existing in inlines):
            # On the instance: the admin class itself (maybe Oscar's) stays as it is.
            model_admin.inlines = [*inlines, inline]

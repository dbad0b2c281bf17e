"""
Content in several languages: one shape for every translatable model.

A translatable model keeps its base text in its own fields, written in the
marketplace's base language (``settings.LANGUAGE_CODE``, English), and has a
``<Model>Translation`` child per other language, built on ``Translation``.
Readers pick with ``translated()``: the shopper's language, then the channel's
default, then English, so a title is never empty.

Back-office users enter each language on the parent's admin page (an inline
built with ``marketplace.localisation.admin.translation_inline``).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Translation(models.Model):
    """Abstract base of ``<Model>Translation`` rows: one per object and language.

    Subclasses add the ``parent`` foreign key (``related_name="translations"``),
    the translated fields, and a unique constraint on (parent, language).
    """

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        abstract = True

    def __str__(self):
        return self.get_language_display()


def base_language() -> str:
    """The language the base fields of a translatable model are written in."""
    return settings.LANGUAGE_CODE


def fallback_languages(language: str, channel=None) -> list[str]:
    """The languages to try, best first: the shopper's, the channel's default, English."""
    order = [language]
    if channel is not None:
        order.append(channel.default_language)
    order.append(settings.LANGUAGE_CODE)
    return list(dict.fromkeys(lang for lang in order if lang))


def current_languages(channel=None) -> list[str]:
    """The fallback languages of the code running now (active language, ``channel`` or the current one)."""
    from marketplace.channels.context import get_current_channel

    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return fallback_languages(language, channel or get_current_channel())


def needs_translations(languages: Iterable[str]) -> bool:
    """False when only the base language is wanted: the base fields answer, no query."""
    return any(lang != base_language() for lang in languages)


def translations_prefetch(model, languages: Iterable[str], lookup: str = "translations"):
    """A ``Prefetch`` of the ``model`` rows ``translated()`` may read for ``languages``.

    Rows in other languages are never loaded. ``lookup`` may go through
    relations (``"children__translations"``).
    """
    wanted = [lang for lang in languages if lang != base_language()]
    return Prefetch(lookup, model.objects.filter(language__in=wanted))


# Annotations ``annotate_translations`` adds: ``localised_<field>`` and the languages they
# were chosen for, so a reader asking for other languages does not take them.
ANNOTATION_PREFIX = "localised_"
ANNOTATION_LANGUAGES = "localised_languages"


def _languages_key(languages: Iterable[str]) -> str:
    return ",".join(languages)


def translation_expressions(model, fields: Iterable[str], languages: Iterable[str], *,
                            through: str = "", prefix: str = "") -> dict:
    """SQL expressions for ``fields`` in ``languages``, as ``translated()`` chooses.

    The first language that has the text; the base field once the base language
    is reached; correlated subqueries on the (parent, language) unique index.
    ``through`` names a relation to the translatable object (``"product"`` on a
    basket line); the expressions are keyed ``<prefix>localised_<field>``.
    """
    ref = f"{through}__" if through else ""
    expressions = {}
    for field in fields:
        output = model._meta.get_field(field).__class__()
        choices = []
        for language in languages:
            if language == base_language():
                choices.append(NullIf(F(ref + field), Value("")))
                continue
            text = model.objects.filter(parent=OuterRef(ref + "pk"), language=language)
            choices.append(NullIf(Subquery(text.values(field)[:1], output_field=output), Value("")))
        choices.append(F(ref + field))  # never NULL: the base text, even empty
        expressions[prefix + ANNOTATION_PREFIX + field] = Coalesce(*choices, output_field=output)
    return expressions


def annotate_translations(queryset, model, fields: Iterable[str], languages: Iterable[str]):
    """``queryset`` with each of ``fields`` already in ``languages``, in the same query.

    A page of products or categories then costs no query for its translations
    (``translated()`` reads the annotations). ``model`` is the
    ``<Model>Translation`` class. Nothing is added when only the base language
    is wanted.
    """
    languages = list(languages)
    if not needs_translations(languages):
        return queryset
    return queryset.annotate(
        **{ANNOTATION_LANGUAGES: Value(_languages_key(languages))},
        **translation_expressions(model, fields, languages),
    )


def mark_translated(obj, values: dict, languages: Iterable[str]) -> None:
    """Put texts read through a relation (``translation_expressions(through=...)``) on ``obj``."""
    setattr(obj, ANNOTATION_LANGUAGES, _languages_key(languages))
    for field, value in values.items():
        setattr(obj, ANNOTATION_PREFIX + field, value)


_MISSING = object()


def annotated_translation(obj, field: str, languages: Iterable[str]):
    """The text ``annotate_translations`` put on ``obj`` for these languages, else ``_MISSING``."""
    if getattr(obj, ANNOTATION_LANGUAGES, None) != _languages_key(languages):
        return _MISSING
    return getattr(obj, ANNOTATION_PREFIX + field, _MISSING)


def is_annotated_for(obj, languages: Iterable[str]) -> bool:
    return getattr(obj, ANNOTATION_LANGUAGES, None) == _languages_key(languages)


def has_annotated_translation(obj, field: str, languages: Iterable[str]) -> bool:
    return annotated_translation(obj, field, languages) is not _MISSING


def translated(obj, field: str, languages: Iterable[str]) -> str:
    """``obj.<field>`` in the first of ``languages`` that has it, else the base value.

    The base fields are the base language's text, so when the fallback order
    reaches English they answer (an English shopper in an Arabic-first channel
    reads English, not the channel's Arabic). Reads ``obj.translations.all()``
    so a prefetch makes it free, and does not query at all when only the base
    language is wanted.
    """
    languages = list(languages)
    base_value = getattr(obj, field)
    if not needs_translations(languages) or obj.pk is None:
        return base_value
    annotated = annotated_translation(obj, field, languages)
    if annotated is not _MISSING:
        return annotated
    by_language = {t.language: t for t in obj.translations.all()}
    for language in languages:
        value = getattr(by_language.get(language), field, "")
        if value:
            return value
        if language == base_language() and base_value:
            return base_value
    return base_value

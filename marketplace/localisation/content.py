"""
Content in several languages: one shape for every translatable model.

A translatable model keeps its base text (English, or whatever was entered
first) in its own fields and has a ``<Model>Translation`` child per language,
built on ``Translation``. Readers pick with ``translated()``: the shopper's
language, then the channel's default, then the base fields, so a title is never
empty.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Translation(models.Model):
    """Abstract base of ``<Model>Translation`` rows: one per object and language.

    Subclasses add the ``parent`` foreign key (``related_name="translations"``),
    the translated fields, and a unique constraint on (parent, language).
    """

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        abstract = True


def fallback_languages(language: str, channel=None) -> list[str]:
    """The languages to try, best first: the shopper's, the channel's default, English."""
    order = [language]
    if channel is not None:
        order.append(channel.default_language)
    order.append(settings.LANGUAGE_CODE)
    return list(dict.fromkeys(lang for lang in order if lang))


def translated(obj, field: str, languages: Iterable[str]) -> str:
    """``obj.<field>`` in the first of ``languages`` that has it, else the base value.

    Reads ``obj.translations.all()`` so a prefetch makes it free.
    """
    by_language = {t.language: t for t in obj.translations.all()}
    for language in languages:
        value = getattr(by_language.get(language), field, "")
        if value:
            return value
    return getattr(obj, field)

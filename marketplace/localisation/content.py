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
from django.db.models import Prefetch
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
    by_language = {t.language: t for t in obj.translations.all()}
    for language in languages:
        value = getattr(by_language.get(language), field, "")
        if value:
            return value
        if language == base_language() and base_value:
            return base_value
    return base_value

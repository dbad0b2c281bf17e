"""
Recording the message lookups a page makes, to find text nothing translates.

Every ``{% trans %}``, ``{% blocktrans %}``, ``gettext()`` and lazy string goes
through ``django.utils.translation._trans``; while ``recording()`` is active,
each lookup is kept with its language and whether any catalogue (ours, Oscar's,
Django's) holds it. A lookup no catalogue holds is shown in English.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import trans_real

CONTEXT_SEPARATOR = "\x04"
# Languages that never write an English word as is: a "translation" equal to
# its English msgid is untranslated (Oscar's Arabic catalogue has dozens).
NON_LATIN_OR_NEVER_ENGLISH = {"ar", "sw"}
# What may stay the same: codes, brands, placeholders and markup.
SAME_IN_EVERY_LANGUAGE = {"UPC", "SKU", "WhatsApp", "M-Pesa", "MTN Mobile Money", "Orange Money", "Airtel Money"}
_PLACEHOLDERS_AND_MARKUP = re.compile(r"%\([^)]+\)[sdr]|%[sd]|<[^>]+>|&\w+;|[^A-Za-z]")


def looks_untranslated(language: str, msgid: str, result: str) -> bool:
    """A result that is still the English msgid, in a language that always differs."""
    if language not in NON_LATIN_OR_NEVER_ENGLISH or str(result) != msgid:
        return False
    words = _PLACEHOLDERS_AND_MARKUP.sub("", msgid)
    return len(words) > 1 and msgid.strip() not in SAME_IN_EVERY_LANGUAGE


@dataclass(frozen=True)
class Lookup:
    language: str
    msgid: str
    context: str | None = None
    plural: str | None = None

    def __str__(self):
        ctx = f" (context {self.context!r})" if self.context else ""
        return f"{self.msgid!r}{ctx}"


def _held(language: str, key) -> bool:
    """Whether a catalogue of ``language`` has ``key``, English fallback left out.

    Django merges the catalogues it finds into one; catalogues that Python's
    gettext found behind a more specific one (Oscar's ``fr`` behind its
    nearly empty ``fr_FR``) stay in the fallback chain, so it is walked too.
    """
    catalog = trans_real.translation(language)
    while catalog is not None:
        if isinstance(catalog, trans_real.DjangoTranslation) and catalog.language() == "en":
            return False
        # Not every link of the chain is a gettext catalogue (django-countries
        # adds a translator of its own, with no messages).
        if key in getattr(catalog, "_catalog", {}):
            return True
        catalog = getattr(catalog, "_fallback", None)
    return False


class Recorder:
    def __init__(self):
        self.lookups: list[Lookup] = []
        self.untranslated: set[Lookup] = set()

    def _record(self, key, lookup: Lookup, result=None):
        self.lookups.append(lookup)
        if lookup.language == "en":
            return
        if not _held(lookup.language, key) or looks_untranslated(
            lookup.language, lookup.msgid if lookup.plural is None else "", result
        ):
            self.untranslated.add(lookup)


def _language():
    return (translation.get_language() or "en").split("-")[0]


@contextmanager
def recording():
    """Record every message lookup made inside the block."""
    recorder = Recorder()
    trans = translation._trans
    originals = {name: getattr(trans, name) for name in ("gettext", "pgettext", "ngettext", "npgettext")}

    def gettext(message):
        result = originals["gettext"](message)
        normalised = message.replace("\r\n", "\n").replace("\r", "\n")
        if normalised:
            recorder._record(normalised, Lookup(_language(), normalised), result)
        return result

    def pgettext(context, message):
        result = originals["pgettext"](context, message)
        key = f"{context}{CONTEXT_SEPARATOR}{message}"
        recorder._record(key, Lookup(_language(), message, context), result)
        return result

    def ngettext(singular, plural, number):
        recorder._record((singular, 0), Lookup(_language(), singular, plural=plural))
        return originals["ngettext"](singular, plural, number)

    def npgettext(context, singular, plural, number):
        key = (f"{context}{CONTEXT_SEPARATOR}{singular}", 0)
        recorder._record(key, Lookup(_language(), singular, context, plural))
        return originals["npgettext"](context, singular, plural, number)

    patched = {"gettext": gettext, "pgettext": pgettext, "ngettext": ngettext, "npgettext": npgettext}
    for name, function in patched.items():
        setattr(trans, name, function)
    try:
        yield recorder
    finally:
        for name, function in originals.items():
            setattr(trans, name, function)

"""
Reading the channel and language out of a request path: pure functions.

``/ng/catalogue/`` → (``ng``, None, ``catalogue/``)
``/eg/en/basket/`` → (``eg``, ``en``, ``basket/``)
"""

import re
from dataclasses import dataclass

_PREFIX = re.compile(r"^/(?P<code>[A-Za-z]{2})(?:/(?P<rest>.*))?$")


@dataclass(frozen=True)
class PathParts:
    code: str  # as written in the URL, maybe upper-case
    language: str | None  # a language segment after the code, if it is one
    rest: str  # what follows, without a leading slash
    has_trailing_slash: bool


def split_path(path: str, known_languages: set[str]) -> PathParts | None:
    """Split a path into country code, optional language segment and the rest."""
    match = _PREFIX.match(path)
    if not match:
        return None
    rest = match.group("rest")
    has_slash = rest is not None
    rest = rest or ""
    language = None
    first, _, remainder = rest.partition("/")
    if first in known_languages and (remainder or rest.endswith("/")):
        language, rest = first, remainder
    return PathParts(match.group("code"), language, rest, has_slash)


def language_prefix(code: str, language: str, default_language: str) -> str:
    """The URL prefix of a channel in a language: the default language has none."""
    if language == default_language:
        return f"/{code}/"
    return f"/{code}/{language}/"

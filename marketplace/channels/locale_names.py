"""Names of countries, languages and currencies, from CLDR, in a given language."""

from babel import Locale

from .money import babel_locale


def language_name(language: str, in_language: str | None = None) -> str:
    """``fr`` → ``français`` (its own name by default)."""
    name = Locale.parse(language).get_display_name(Locale.parse(in_language or language))
    return name[:1].upper() + name[1:] if name else language


def country_name(country_code: str, language: str) -> str:
    """The country's name as written in ``language`` in that country (``CI`` → ``Côte d’Ivoire``)."""
    locale = babel_locale(language, country_code)
    return locale.territories.get(country_code.upper(), country_code.upper())


def currency_name(currency: str, language: str, country_code: str | None = None) -> str:
    locale = babel_locale(language, country_code)
    return locale.currencies.get(currency, currency)


def currency_symbol(currency: str, language: str, country_code: str | None = None) -> str:
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(currency, locale=babel_locale(language, country_code))

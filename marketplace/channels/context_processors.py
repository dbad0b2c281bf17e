"""Template context for the storefront: the channel, languages, direction, alternates."""

from babel.numbers import format_percent
from django.utils import translation

from .locale_names import country_name, language_name
from .resolution import language_prefix
from .tax import rates_in_force
from .tax_names import tax_label


def _hreflang(language: str, country_code: str) -> str:
    return f"{language}-{country_code.upper()}"


def channel(request):
    language = translation.get_language() or "en"
    ctx = {"text_direction": "rtl" if translation.get_language_bidi() else "ltr"}
    current = getattr(request, "channel", None)
    if current is None:
        return ctx
    path = request.path_info.lstrip("/")
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""

    def url_for(ch, lang):
        return language_prefix(ch.code, lang, ch.default_language) + path

    languages = [
        {
            "code": lang,
            "name": language_name(lang),
            "url": url_for(current, lang) + suffix,
            "is_current": lang == language,
        }
        for lang in current.languages
    ]
    # The same page in every language of every channel, for search engines.
    alternates = [
        {"hreflang": _hreflang(lang, ch.country.code), "url": request.build_absolute_uri(url_for(ch, lang))}
        for ch in request.active_channels
        for lang in ch.languages
    ]
    countries = [
        {
            "code": ch.code,
            "name": country_name(ch.country.code, ch.default_language),
            "url": f"/{ch.code}/",
            "is_current": ch.code == current.code,
        }
        for ch in request.active_channels
    ]
    return {
        **ctx,
        "channel": current,
        "channel_name": country_name(current.country.code, language),
        "channel_languages": languages,
        "channel_alternates": alternates,
        "channel_countries": countries,
        "html_lang": _hreflang(language, current.country.code),
        "channel_taxes": [
            {"name": tax_label(rate.name), "rate": format_percent(rate.rate, "#,##0.##%", locale=current.locale(language))}
            for rate in rates_in_force(current.tax_rates(), current.today())
        ],
    }

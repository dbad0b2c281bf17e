"""Pages outside any channel: the country picker."""

from django.conf import settings
from django.views.generic import TemplateView

from .locale_names import country_name, currency_name, currency_symbol, language_name
from .resolution import language_prefix


class CountryPickerView(TemplateView):
    """Every country in its own language with its currency; the last one chosen first."""

    template_name = "channels/picker.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        last = self.request.COOKIES.get(settings.CHANNEL_COOKIE_NAME, "")
        countries = [
            {
                "code": ch.code,
                "url": f"/{ch.code}/",
                "name": country_name(ch.country.code, ch.default_language),
                "language": ch.default_language,
                "direction": "rtl" if ch.default_language == "ar" else "ltr",
                "languages": [language_name(lang) for lang in ch.languages],
                # A link per language (/eg/ in Arabic, /eg/en/ in English), each named in itself.
                "language_links": [
                    {
                        "code": lang,
                        "name": language_name(lang),
                        "url": language_prefix(ch.code, lang, ch.default_language),
                        "direction": "rtl" if lang == "ar" else "ltr",
                    }
                    for lang in ch.languages
                ],
                "currency": ch.currency,
                "currency_name": currency_name(ch.currency, ch.default_language, ch.country.code),
                "currency_symbol": currency_symbol(ch.currency, ch.default_language, ch.country.code),
                "is_last": ch.code == last,
            }
            for ch in self.request.active_channels
        ]
        countries.sort(key=lambda c: not c["is_last"])  # stable: keeps the channel order
        ctx["countries"] = countries
        ctx["last_country"] = countries[0] if countries and countries[0]["is_last"] else None
        return ctx

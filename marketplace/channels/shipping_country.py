"""Each channel's country is the one country its shoppers can ship to (Oscar's address Country)."""

from django_countries import countries


def ensure_shipping_country(Country, country_code: str) -> None:
    """Create or enable Oscar's Country row for ``country_code`` (takes the model: used by a migration)."""
    code = country_code.upper()
    Country.objects.update_or_create(
        iso_3166_1_a2=code,
        defaults={
            "iso_3166_1_a3": countries.alpha3(code) or "",
            "iso_3166_1_numeric": countries.numeric(code, padded=True) or "",
            "printable_name": countries.name(code),
            "name": countries.name(code),
            "is_shipping_country": True,
        },
    )

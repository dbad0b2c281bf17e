"""
The six launch countries (DESIGN.md, "Country facts"), as data.

Used by the data migration that creates them and by tests that need them back
after a transactional test emptied the tables. Functions take the model classes
so the migration can pass its historical models.
"""

from datetime import date
from decimal import Decimal

LAUNCH_CHANNELS = [
    # country, currency, default language, other languages, timezone, [(tax, rate, applies from)]
    ("NG", "NGN", "en", [], "Africa/Lagos", [("VAT", "0.075", date(2020, 2, 1))]),
    ("EG", "EGP", "ar", ["en"], "Africa/Cairo", [("VAT", "0.14", date(2017, 7, 1))]),
    ("KE", "KES", "en", ["sw"], "Africa/Nairobi", [("VAT", "0.16", date(2021, 1, 1))]),
    ("CI", "XOF", "fr", [], "Africa/Abidjan", [("TVA", "0.18", date(2000, 1, 1))]),
    ("MA", "MAD", "fr", ["ar"], "Africa/Casablanca", [("TVA", "0.20", date(2007, 1, 1))]),
    (
        "GH", "GHS", "en", [], "Africa/Accra",
        [
            ("VAT", "0.15", date(2018, 6, 1)),
            ("NHIL", "0.025", date(2018, 6, 1)),
            ("GETFund", "0.025", date(2018, 6, 1)),
        ],
    ),
]


def ensure_launch_channels(Channel, TaxComponent) -> None:
    for position, (country, currency, language, others, tz, taxes) in enumerate(LAUNCH_CHANNELS):
        channel, _ = Channel.objects.update_or_create(
            country=country,
            defaults={
                "currency": currency, "default_language": language, "other_languages": others,
                "timezone": tz, "position": position, "is_active": True,
            },
        )
        for name, rate, starts_on in taxes:
            TaxComponent.objects.update_or_create(
                channel=channel, name=name, starts_on=starts_on, defaults={"rate": Decimal(rate)}
            )

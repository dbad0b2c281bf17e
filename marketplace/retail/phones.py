"""Phone numbers of partner shops: valid numbers of the shop's country, stored as E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(value: str, country_code: str) -> str:
    """``value`` as E.164 (+234…) if it is a valid number of ``country_code``."""
    text = (value or "").strip()[:32]
    try:
        number = phonenumbers.parse(text, country_code.upper())
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("This is not a phone number."), code="invalid") from error
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.region_code_for_number(number) != country_code.upper()
    ):
        raise ValidationError(
            _("This is not a valid phone number of this shop's country."), code="invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

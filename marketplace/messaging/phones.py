"""Phone numbers as the messaging providers use them: E.164, read per channel and medium."""

import phonenumbers

WHATSAPP_PREFIX = "whatsapp:"
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class InvalidNumber(ValueError):
    pass


def normalise(value: str, *, region: str, medium: str = "sms") -> str:
    """``value`` as E.164 (+234…).

    ``region`` is the channel's country, for numbers written nationally
    (0803…). Providers send WhatsApp numbers as ``whatsapp:+234…``. A text
    message or a WhatsApp account needs a mobile number; a landline is refused.
    """
    text = (value or "").strip()
    if text.lower().startswith(WHATSAPP_PREFIX):
        text = text[len(WHATSAPP_PREFIX):]
    if not text or len(text) > 32 or not text.isprintable():
        raise InvalidNumber(value)
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException as error:
        raise InvalidNumber(value) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber(value)
    if medium in ("sms", "whatsapp") and phonenumbers.number_type(number) not in _MOBILE:
        raise InvalidNumber(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None

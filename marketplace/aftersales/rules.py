"""After-sales rules as pure functions: IMEI numbers, serial numbers, cover periods."""

import calendar
import re
from datetime import date, timedelta

IMEI_LENGTH = 15
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Serial numbers as makers print them: letters, digits and dashes, nothing else.
_SERIAL = re.compile(r"[A-Z0-9][A-Z0-9-]{3,39}", re.ASCII)
_ONE_DAY = timedelta(days=1)


class InvalidIdentifier(ValueError):
    """Text that is not an IMEI or a serial number; ``reason`` says which rule it broke."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def luhn_check_digit(payload: str) -> int:
    """The Luhn check digit of ASCII digits ``payload`` (the IMEI's first 14)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:  # every second digit from the right, the check digit's neighbour first
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def normalise_imei(text: str) -> str:
    """The IMEI in ``text`` (spaces and dashes as printed on boxes are dropped).

    Raises ``InvalidIdentifier`` with ``reason`` ``"digits"`` (not only ASCII
    digits), ``"length"`` (not 15) or ``"check"`` (a wrong Luhn check digit).
    """
    if not isinstance(text, str):
        raise InvalidIdentifier("digits")
    compact = text.replace(" ", "").replace("-", "")
    if not _DIGITS.fullmatch(compact):
        raise InvalidIdentifier("digits")
    if len(compact) != IMEI_LENGTH:
        raise InvalidIdentifier("length")
    if luhn_check_digit(compact[:-1]) != int(compact[-1]):
        raise InvalidIdentifier("check")
    return compact


def normalise_serial(text: str) -> str:
    """A serial number, upper-cased; 4 to 40 ASCII letters, digits and dashes."""
    compact = (text or "").strip().upper() if isinstance(text, str) else ""
    if not _SERIAL.fullmatch(compact):
        raise InvalidIdentifier("serial")
    return compact


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (31 January + 1 month: 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cover_period(*, delivered_on: date, after_months: int, months: int) -> tuple[date, date]:
    """``(first day, last day)`` of an extended warranty.

    It starts when the maker's own warranty (``after_months`` from delivery)
    ends, and lasts ``months``.
    """
    starts = add_months(delivered_on, after_months)
    return starts, add_months(starts, months) - _ONE_DAY


def is_covered(*, ends_on: date, today: date) -> bool:
    """Covered until the end of the last day (the maker's warranty before it counts too)."""
    return today <= ends_on


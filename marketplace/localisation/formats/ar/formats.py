# Django's Arabic formats leave DATETIME_FORMAT to the English default
# ("N j, Y, P": "مارس 2, 2026, 1:30 ص"); day first, 24-hour clock instead.
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
TIME_FORMAT = "H:i"

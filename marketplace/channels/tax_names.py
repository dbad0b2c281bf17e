"""A tax's name as the shopper reads it: the usual abbreviation in the page's language.

Operators name a channel's taxes as the country's law does (``VAT`` in Nigeria, ``TVA`` in
Côte d'Ivoire): value-added tax by either abbreviation is shown in the shopper's language
(``ضريبة القيمة المضافة`` on an Arabic page of Egypt or Morocco). Other names (Ghana's NHIL,
GETFund) are proper names, shown as entered.
"""

from django.utils.translation import pgettext_lazy

VALUE_ADDED_TAX = pgettext_lazy("tax name shown beside the rate", "VAT")
KNOWN = {"VAT": VALUE_ADDED_TAX, "TVA": VALUE_ADDED_TAX}


def tax_label(name: str) -> str:
    known = KNOWN.get((name or "").strip().upper())
    return str(known) if known is not None else name

"""
Availability messages that count: "3 available" in every language's plural forms.

Oscar's ``StockRequired`` says ``_("In stock (%d available)") % n``: one form for
every number, which Arabic (six plural categories: zero, one, two, few, many,
other) and French (0 and 1 singular) cannot translate ("8 قطعة متاحة" is wrong;
8 takes the plural "قطع"). The same policy with ``ngettext``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.apps.partner import availability


class CountedStock(availability.StockRequired):
    # Its message counts units: a cached product page leaves it as a hole (``pagecache``).
    counts_units = True

    @staticmethod
    def message_for(num_available: int) -> str:
        return CountedStock(num_available).message

    @property
    def message(self) -> str:
        if self.num_available > 0:
            return ngettext(
                "In stock (%(count)d available)", "In stock (%(count)d available)",
                self.num_available,
            ) % {"count": self.num_available}
        return _("Unavailable")

    def is_purchase_permitted(self, quantity):
        if 0 < self.num_available < quantity:
            return False, ngettext(
                "a maximum of %(count)d can be bought", "a maximum of %(count)d can be bought",
                self.num_available,
            ) % {"count": self.num_available}
        return super().is_purchase_permitted(quantity)

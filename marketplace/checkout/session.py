"""
Oscar's checkout session mixin, naming products in the shopper's language.

Oscar loads ``checkout.session`` through ``get_class``, so this module (in our
checkout app) replaces its ``CheckoutSessionMixin`` for every checkout view.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as OscarCheckoutSessionMixin

from marketplace.localisation.catalogue import product_title


class CheckoutSessionMixin(OscarCheckoutSessionMixin):
    def check_basket_is_valid(self, request):
        # Oscar's check and message, with the title the shopper reads (Oscar's is English).
        messages_list = []
        strategy = request.strategy
        for line in request.basket.all_lines():
            result = strategy.fetch_for_line(line)
            is_permitted, reason = result.availability.is_purchase_permitted(line.quantity)
            if not is_permitted:
                messages_list.append(_(
                    "'%(title)s' is no longer available to buy (%(reason)s). "
                    "Please adjust your basket to continue"
                ) % {"title": product_title(line.product), "reason": reason})
        if messages_list:
            raise exceptions.FailedPreCondition(
                url=reverse("basket:summary"), messages=messages_list
            )

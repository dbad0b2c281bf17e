from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SOLD_A_WARRANTY = "sold_a_warranty"


class AftersalesConfig(AppConfig):
    name = "marketplace.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self):
        from marketplace.partner import dependent_lines

        from . import receivers  # noqa: F401
        from .lines import WarrantyLines

        dependent_lines.register(WarrantyLines())

        # A seller registers devices only for warranties it sold: no "Add device" before.
        from django.db.models import Exists, OuterRef

        from marketplace.memberships.selectors import reach_fact

        from .models import OrderWarranty

        reach_fact(SOLD_A_WARRANTY, lambda: Exists(
            OrderWarranty.objects.filter(product_line__partner_id=OuterRef("seller_id"))
        ))

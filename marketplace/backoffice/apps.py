from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, serving our site as ``admin.site``."""

    default = False
    default_site = "marketplace.backoffice.sites.BackOfficeSite"


class BackOfficeConfig(AppConfig):
    default = True
    name = "marketplace.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        from marketplace.memberships.models import Membership
        from marketplace.partner.models import StockRecord

        from . import audit
        from .scopes import listing_scope, membership_scope

        audit.track(StockRecord, fields=("price", "num_in_stock", "is_live"), scope=listing_scope)
        audit.track(
            Membership, fields=("user", "brand", "seller", "channel"), scope=membership_scope
        )

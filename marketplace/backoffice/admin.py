"""
The back office's registry: every admin on the site goes through ``ScopedAdmin``.

This module is imported last (``marketplace.backoffice`` ends INSTALLED_APPS),
once Oscar's and Django's admin modules have registered theirs. It

- puts the scoped product admin in place of Oscar's;
- unregisters admins of rows that are edited on their parent's page only, and
  of Oscar's offers and vouchers (not in use);
- keeps Oscar's and Django's other admins, by name, for superusers alone.

A model registered anywhere else without ``ScopedAdmin`` is left alone, so
the permission matrix test (``tests/backoffice``) fails until it is scoped.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from marketplace.memberships.models import Membership

from . import audit_display
from .catalogue import ProductAdmin
from .dates import local_datetime
from .models import AuditEntry
from .scoping import Record, ScopedAdmin, ScopedInline, replace_registration, superuser_only

replace_registration(admin.site, apps.get_model("catalogue", "Product"), ProductAdmin)

# Edited inline on the product's page (brand managers do it there).
EDITED_ON_PARENT = ["catalogue.ProductImage", "catalogue.ProductCategory", "catalogue.ProductAttributeValue"]

# Oscar's and Django's own admins that no back-office role works in.
SUPERUSER_ONLY = [
    "address.Country", "address.UserAddress",
    "analytics.ProductRecord", "analytics.UserProductView", "analytics.UserRecord",
    "analytics.UserSearch",
    "auth.Group", "auth.User",
    "basket.Basket", "basket.Line", "basket.LineAttribute",
    "catalogue.AttributeOptionGroup", "catalogue.Category", "catalogue.Option",
    "catalogue.ProductAttribute", "catalogue.ProductClass",
    "communication.CommunicationEventType", "communication.Email", "communication.Notification",
    "customer.ProductAlert",
    "flatpages.FlatPage",
    "payment.Bankcard", "payment.Source", "payment.SourceType", "payment.Transaction",
    "shipping.OrderAndItemCharges", "shipping.WeightBased",
    "sites.Site",
    "wishlists.Line", "wishlists.WishList", "wishlists.WishListSharedEmail",
]

# Oscar features switched off on the storefront (settings.OSCAR_HIDDEN_FEATURES):
# nothing to moderate, so no admin either.
SWITCHED_OFF = ["reviews.ProductReview", "reviews.Vote"]
# Offers and vouchers carry no currency: off until they are per channel (basket.offers).
NOT_IN_USE = [
    "offer.Benefit", "offer.Condition", "offer.ConditionalOffer", "offer.Range",
    "offer.RangeProduct", "offer.RangeProductFileUpload",
    "voucher.Voucher", "voucher.VoucherApplication", "voucher.VoucherSet",
]

for label in EDITED_ON_PARENT + SWITCHED_OFF + NOT_IN_USE:
    model = apps.get_model(label)
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Written by the storefront only: Oscar's add and change forms for them read relations
# the form has not set yet (a 500), and a superuser has no reason to write them by hand.
READ_ONLY = {"address.UserAddress", "basket.Line", "basket.LineAttribute"}

for label in SUPERUSER_ONLY:
    superuser_only(admin.site, apps.get_model(label), read_only=label in READ_ONLY)


class MembershipInline(ScopedInline, admin.TabularInline):
    """A user's roles, on the user's page (superusers only, like the page)."""

    model = Membership
    fields = ("brand", "seller", "channel")
    extra = 0


_user_model = apps.get_model(settings.AUTH_USER_MODEL)
_user_admin = type(admin.site._registry[_user_model])
replace_registration(
    admin.site, _user_model,
    type("UserAdmin", (_user_admin,), {"inlines": [*_user_admin.inlines, MembershipInline]}),
)


@admin.register(AuditEntry)
class AuditEntryAdmin(Record, ScopedAdmin, admin.ModelAdmin):
    """The audit trail, read-only: each role reads the entries of its own objects."""

    scope = {"brand": "brand", "seller": "seller", "channel": "channel"}
    role_permissions = {"brand": {"view"}, "seller": {"view"}, "channel": {"view"}}
    list_display = ("moment", "actor_name", "action", "what", "change_summary")
    list_filter = ("action", "content_type", "channel", "seller")
    list_select_related = ("content_type", "channel")
    search_fields = ("object_repr", "actor_name")
    date_hierarchy = "when"

    class Media:
        # The changes column wraps instead of running off a 1366-pixel screen.
        css = {"all": ("marketplace/css/backoffice.css",)}

    @admin.display(description=_("when"), ordering="when")
    def moment(self, entry):
        if entry.channel_id:
            return local_datetime(entry.when, entry.channel)
        return date_format(localtime(entry.when), "DATETIME_FORMAT")

    @admin.display(description=_("what"), ordering="object_repr")
    def what(self, entry):
        kind = capfirst(str(entry.content_type.model_class()._meta.verbose_name)) if (
            entry.content_type.model_class() is not None
        ) else entry.content_type.model
        return format_html("{}<br><small>{}</small>", entry.object_repr, kind)

    @admin.display(description=_("changes"))
    def change_summary(self, entry):
        return format_html(
            '<ul class="audit-changes">{}</ul>',
            format_html_join(
                "", "<li><strong>{}</strong>: {} → {}</li>", audit_display.change_lines(entry)
            ),
        )

"""Warranty plans in the back office: a brand runs its own, a country operator its channels'."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import display
from marketplace.backoffice.scoping import ALL, ScopedAdmin
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.stores.admin import ScopedTranslationInline

from .models import WarrantyPlan, WarrantyPlanTranslation


@admin.register(WarrantyPlan)
class WarrantyPlanAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.BRAND: "brand", roles.CHANNEL: "channel"}
    role_permissions = {roles.BRAND: ALL, roles.CHANNEL: ALL}
    list_display = ("name", "channel", "brand", "duration", "price", "is_active", "position")
    list_filter = ("channel", "brand", "is_active")
    list_select_related = ("channel", "brand")
    search_fields = ("name",)
    shared_choices = ("products", "categories")
    filter_horizontal = ("products", "categories")
    inlines = [translation_inline(WarrantyPlanTranslation, ("name", "terms"), base=ScopedTranslationInline)]

    @admin.display(description=_("duration"), ordering="months")
    def duration(self, plan):
        return plan.duration

    @admin.display(description=_("price"), ordering="amount")
    def price(self, plan):
        if plan.pricing == WarrantyPlan.PERCENTAGE:
            return f"{plan.amount.normalize():f} %"
        return display.money(plan.amount, plan.channel)

"""Delivery options and pickup stations: a country operator runs their channels' own."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import display
from marketplace.backoffice.scoping import ALL, ScopedAdmin
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.stores.admin import ScopedTranslationInline

from .models import (
    DeliveryOption,
    DeliveryOptionTranslation,
    PickupStation,
    PickupStationTranslation,
)


@admin.register(DeliveryOption)
class DeliveryOptionAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("name", "channel", "kind", "charge", "free_from", "days", "is_active", "position")
    list_editable = ("is_active", "position")
    list_filter = ("channel", "kind", "is_active")
    list_select_related = ("channel",)
    search_fields = ("name",)
    inlines = [translation_inline(DeliveryOptionTranslation, ("name",), base=ScopedTranslationInline)]

    @admin.display(description=_("price before tax"), ordering="price")
    def charge(self, option):
        return display.money(option.price, option.channel)

    @admin.display(description=_("free from a basket of"), ordering="free_above")
    def free_from(self, option):
        if option.free_above is None:
            return "—"
        return display.money(option.free_above, option.channel)

    @admin.display(description=_("days"))
    def days(self, option):
        return f"{option.min_days}–{option.max_days}"


@admin.register(PickupStation)
class PickupStationAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("name", "channel", "city", "opening_hours", "is_active")
    list_filter = ("channel", "city", "is_active")
    list_select_related = ("channel",)
    search_fields = ("name", "city", "address")
    inlines = [
        translation_inline(PickupStationTranslation, ("name", "opening_hours"), base=ScopedTranslationInline)
    ]


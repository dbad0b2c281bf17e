"""Channels in the back office: a new country is a new row here, with its taxes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice.scoping import VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles

from .locale_names import country_name
from .models import Channel, TaxComponent


class TaxComponentInline(ScopedInline, admin.TabularInline):
    model = TaxComponent
    extra = 1


@admin.register(Channel)
class ChannelAdmin(ScopedAdmin, admin.ModelAdmin):
    # Everyone sees the countries they work in; only superusers change them.
    scope = {"channel": "pk", "brand": "sellers__brand", "seller": "sellers"}
    role_permissions = {roles.CHANNEL: VIEW, roles.BRAND: VIEW, roles.SELLER: VIEW}
    list_display = ("country", "local_name", "currency", "default_language", "timezone", "is_active", "position")
    list_editable = ("is_active", "position")
    list_filter = ("is_active", "currency")
    inlines = [TaxComponentInline]

    @admin.display(description=_("name in its language"))
    def local_name(self, channel):
        return country_name(channel.country.code, channel.default_language)

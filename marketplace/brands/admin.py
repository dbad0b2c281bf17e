from django.contrib import admin

from marketplace.backoffice.scoping import CHANGE, ScopedAdmin
from marketplace.memberships import roles

from .models import Brand


@admin.register(Brand)
class BrandAdmin(ScopedAdmin, admin.ModelAdmin):
    # Brand managers describe their brand; creating brands is the marketplace's.
    scope = {"brand": "pk"}
    role_permissions = {roles.BRAND: CHANGE}
    superuser_fields = ("name", "slug")
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

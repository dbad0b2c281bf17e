"""
Partner retailers in the back office.

A retailer (a seller membership of the shop's partner) changes its own shop and
answers its own orders; its listings are the partner admin's, scoped the same
way. Country operators run their countries' shops, zones and policy and see the
shops' orders; brand managers see the shops that are partners of their brand and
what they sell.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.backoffice import display
from marketplace.backoffice.scoping import ALL, CHANGE, EDIT, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles

from . import services
from .forms import RetailerForm
from .models import OpeningHours, Retailer, RetailOrder, RetailPolicy, Zone


class OpeningHoursInline(ScopedInline, admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Retailer)
class RetailerAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.SELLER: "partner", roles.CHANNEL: "channel", roles.BRAND: "brands"}
    role_permissions = {roles.SELLER: CHANGE, roles.CHANNEL: EDIT, roles.BRAND: VIEW}
    form = RetailerForm
    list_display = ("name", "city", "district", "channel", "is_active")
    list_filter = ("channel", "is_active")
    list_select_related = ("channel",)
    search_fields = ("name", "city", "district", "slug")
    inlines = [OpeningHoursInline]
    filter_horizontal = ("brands",)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ("partner", "channel")
        if not request.user.is_superuser and not self.allows(request, "add"):
            # The shop completes its profile; who it is and where it sells are the operator's.
            fields += ("slug", "brands", "cash_on_delivery_limit", "is_active")
        return tuple(dict.fromkeys(fields))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.retailer_saved(obj)


@admin.register(Zone)
class ZoneAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("city", "district", "status", "starts_at", "delivery_from", "delivery_until",
                    "shop_pickup_allowed", "channel")
    list_filter = ("channel", "status")
    list_select_related = ("channel",)
    search_fields = ("city", "district")
    date_hierarchy = "starts_at"


@admin.register(RetailPolicy)
class RetailPolicyAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("channel", "answer_within_minutes", "delivery_code_tries")


class RetailOrderForm(forms.ModelForm):
    """The shop's order: only the delivery code is entered here (everything else is read)."""

    code = forms.CharField(
        label=_("delivery code from the shopper"), required=False, max_length=16,
        help_text=_("Entered at the handover: completes the delivery."),
    )

    class Meta:
        model = RetailOrder
        fields = ()

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("code") or "").strip()
        if code and self.instance.pk:
            try:
                services.retail_order_deliver(self.instance, code)
            except services.RetailError as error:
                raise ValidationError({"code": error.message}) from error
        return cleaned


def _each(request, queryset, service, done_message):
    done = 0
    for retail_order in queryset:
        try:
            service(retail_order)
            done += 1
        except services.RetailError as error:
            messages.error(request, f"{retail_order}: {error.message}")
    if done:
        messages.success(request, done_message(done))


@admin.register(RetailOrder)
class RetailOrderAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {
        roles.SELLER: "retailer__partner", roles.CHANNEL: "retailer__channel",
        roles.BRAND: "retailer__brands",
    }
    role_permissions = {roles.SELLER: CHANGE, roles.CHANNEL: VIEW, roles.BRAND: VIEW}
    form = RetailOrderForm
    list_display = ("order", "retailer", "status", "handover", "contactless", "answer_by",
                    "order_total", "date_created")
    list_filter = ("status", "handover", "retailer__channel")
    list_select_related = ("order__channel", "retailer")
    search_fields = ("order__number", "retailer__name")
    readonly_fields = ("order", "retailer", "status", "handover", "contactless", "answer_by",
                       "code_tries", "order_total", "shipping_address", "date_created")
    fields = readonly_fields + ("code",)
    actions = ["accept", "decline", "out_for_delivery"]
    # A brand reads its partner shops' orders as a seller reads a shared order: never the
    # shopper's address or the order's total (shared_orders.py), search by number only.
    partial_roles = (roles.BRAND,)
    partial_list_display = ("order", "retailer", "status", "handover", "date_created")
    partial_search_fields = ("order__number",)

    def get_partial_fieldsets(self, request, obj):
        return [(None, {"fields": ("order", "retailer", "status", "handover", "date_created")})]

    def has_add_permission(self, request):
        return False  # placed by shoppers at checkout

    def save_model(self, request, obj, form, change):
        # The form's code went through ``retail_order_deliver`` (which saved what it
        # changed, under a row lock); saving this stale copy would undo it.
        pass

    def has_delete_permission(self, request, obj=None):
        return False  # kept with their order

    @admin.display(description=_("total"))
    def order_total(self, retail_order):
        order = retail_order.order
        return display.money(order.total_incl_tax, order.channel, order.currency)

    @admin.display(description=_("delivery address"))
    def shipping_address(self, retail_order):
        address = retail_order.order.shipping_address
        return ", ".join(address.active_address_fields()) if address else "–"

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return self.readonly_fields

    def get_actions(self, request):
        found = super().get_actions(request)
        if not self.allows(request, "change"):
            for name in self.actions:
                found.pop(name, None)
        return found

    @admin.action(description=_("Accept the selected orders"))
    def accept(self, request, queryset):
        _each(request, queryset, services.retail_order_accept,
              lambda n: ngettext("%(n)d order accepted.", "%(n)d orders accepted.", n) % {"n": n})

    @admin.action(description=_("Decline the selected orders"))
    def decline(self, request, queryset):
        _each(request, queryset, services.retail_order_decline,
              lambda n: ngettext("%(n)d order declined.", "%(n)d orders declined.", n) % {"n": n})

    @admin.action(description=_("Mark the selected orders out for delivery"))
    def out_for_delivery(self, request, queryset):
        _each(request, queryset, services.retail_order_out_for_delivery,
              lambda n: ngettext("%(n)d order out for delivery.", "%(n)d orders out for delivery.",
                                 n) % {"n": n})

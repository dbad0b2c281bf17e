"""
Orders in the back office, scoped by membership.

Country operators follow their countries' orders and move their status (each
move kept in the order's history); sellers and brand managers read the orders
that contain their own lines, and see only those lines. Lines and status
changes are read on the order's page; Oscar's other order admins (notes,
events, addresses) are not registered: nobody works in them here.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import actions, display
from marketplace.backoffice.scoping import CHANGE, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles
from marketplace.payments.transitions import order_status_change

from . import statuses
from .models import Line, Order, OrderStatusChange


class OrderLineInline(ScopedInline, admin.TabularInline):
    model = Line
    scope = {"channel": "order__channel", "seller": "partner", "brand": "partner__brand"}
    role_permissions = {roles.CHANNEL: VIEW, roles.SELLER: VIEW, roles.BRAND: VIEW}
    fields = ("title", "partner_name", "partner_sku", "quantity", "price", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("price"))
    def price(self, line):
        return display.money(line.line_price_incl_tax, line.order.currency, line.order.channel.country.code)


class StatusHistoryInline(ScopedInline, admin.TabularInline):
    model = OrderStatusChange
    verbose_name_plural = _("status history")
    fields = ("date_created", "old_status", "new_status")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderStatusForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ("status",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status
            # The order rules say what an operator may do (never "paid": the provider says so).
            allowed = [current, *statuses.operator_moves(current)]
            # Status names are stored in English; their labels are translated.
            self.fields["status"] = forms.ChoiceField(
                label=_("status"), choices=[(s, gettext(s)) for s in allowed],
                help_text=_("Only the moves the order's current status allows are offered."),
            )


@admin.register(Order)
class OrderAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {
        "channel": "channel",
        "seller": "lines__partner",
        "brand": "lines__partner__brand",
    }
    role_permissions = {roles.CHANNEL: CHANGE, roles.SELLER: VIEW, roles.BRAND: VIEW}
    form = OrderStatusForm
    list_display = ("number", "channel", "status", "total", "date_placed")
    list_filter = ("channel", "status", "date_placed")
    list_select_related = ("channel",)
    search_fields = ("number", "guest_email", "user__email")
    date_hierarchy = "date_placed"
    inlines = [OrderLineInline, StatusHistoryInline]
    actions = [actions.export_csv]
    fieldsets = [
        (None, {"fields": ("number", "channel", "status", "date_placed")}),
        (_("Shopper"), {"fields": ("customer", "shipping_address_text", "shipping_method")}),
        (_("Totals"), {"fields": ("total", "shipping")}),
    ]
    readonly_fields = (
        "number", "channel", "date_placed", "customer", "shipping_address_text",
        "shipping_method", "total", "shipping",
    )

    def has_add_permission(self, request):
        return False  # orders come from checkout

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel", "user", "shipping_address")

    def save_model(self, request, obj, form, change):
        new_status = form.cleaned_data.get("status")
        if change and new_status and new_status != form.initial.get("status"):
            obj.status = form.initial.get("status")  # the service moves it, with history
            try:
                order_status_change(order=obj, status=new_status, actor=request.user)
            except statuses.MoveRefused:
                # The order moved since the form was shown (its payment settled, say).
                self.message_user(request, gettext(
                    "The order's status changed meanwhile; it was not moved. Check it and try again."
                ), messages.ERROR)

    @admin.display(description=_("total"), ordering="total_incl_tax")
    def total(self, order):
        return display.money(order.total_incl_tax, order.currency, order.channel.country.code)

    @admin.display(description=_("delivery charge"))
    def shipping(self, order):
        return display.money(order.shipping_incl_tax, order.currency, order.channel.country.code)

    @admin.display(description=_("customer"))
    def customer(self, order):
        return order.email

    @admin.display(description=_("delivery address"))
    def shipping_address_text(self, order):
        address = order.shipping_address
        return ", ".join(address.active_address_fields()) if address else "–"

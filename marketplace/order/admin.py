"""
Orders in the back office, scoped by membership.

Country operators follow their countries' orders and move their status (each
move kept in the order's history); sellers and brand managers read the orders
that contain their own lines, and see only their part of them
(``marketplace/order/shared_orders.py`` says exactly what). Lines and status
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
from marketplace.order.shared_orders import orders_with_own_part
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
        return display.money(line.line_price_incl_tax, line.order.channel, line.order.currency)


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
        (_("Shopper"), {"fields": (
            "customer", "shipping_address_text", "shipping_phone", "delivery_notes", "shipping_method",
        )}),
        (_("Totals"), {"fields": ("total", "shipping")}),
    ]
    readonly_fields = (
        "number", "channel", "date_placed", "customer", "shipping_address_text",
        "shipping_method", "total", "shipping", "shipping_phone", "delivery_notes",
        "own_units", "own_total",
    )

    # Sellers and brand managers see their own part of an order (their lines,
    # and what shipping needs when the order is theirs alone): the fields are
    # decided in marketplace/order/shared_orders.py.
    partial_roles = frozenset({roles.SELLER, roles.BRAND})
    partial_list_display = ("number", "channel", "status", "own_units", "own_total", "date_placed")
    partial_search_fields = ("number",)

    def get_partial_fieldsets(self, request, obj):
        fieldsets = [
            (None, {"fields": ("number", "channel", "status", "date_placed")}),
            (_("Your lines"), {"fields": ("own_units", "own_total")}),
        ]
        if getattr(obj, "ships_alone", False):
            fieldsets.append((_("Delivery"), {"fields": (
                "shipping_method", "shipping_address_text", "shipping_phone", "delivery_notes",
            )}))
        return fieldsets

    def has_add_permission(self, request):
        return False  # orders come from checkout

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("channel", "user", "shipping_address")
        if self.sees_part(request):
            # The user's own lines are exactly the ones the lines inline shows.
            own_lines = OrderLineInline(self.model, self.admin_site).scope_condition(request, "view")
            queryset = orders_with_own_part(queryset, own_lines)
        return queryset

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
        return display.money(order.total_incl_tax, order.channel, order.currency)

    @admin.display(description=_("delivery charge"))
    def shipping(self, order):
        return display.money(order.shipping_incl_tax, order.channel, order.currency)

    @admin.display(description=_("customer"))
    def customer(self, order):
        return order.email

    @admin.display(description=_("delivery address"))
    def shipping_address_text(self, order):
        address = order.shipping_address
        return ", ".join(address.active_address_fields()) if address else "–"

    @admin.display(description=_("phone number"))
    def shipping_phone(self, order):
        address = order.shipping_address
        return str(address.phone_number) if address and address.phone_number else "–"

    @admin.display(description=_("delivery instructions"))
    def delivery_notes(self, order):
        address = order.shipping_address
        return address.notes if address and address.notes else "–"

    @admin.display(description=_("your units"), ordering="own_units")
    def own_units(self, order):
        return order.own_units or 0

    @admin.display(description=_("your lines' total"), ordering="own_total")
    def own_total(self, order):
        return display.money(order.own_total, order.channel, order.currency)

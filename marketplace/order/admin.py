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
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import actions, audit_display, display
from marketplace.backoffice.dates import channel_date_filter, local_datetime
from marketplace.backoffice.scoping import CHANGE, VIEW, ScopedAdmin, ScopedInline
from marketplace.localisation.content import fallback_languages, translated
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope
from marketplace.order.shared_orders import orders_with_own_part
from marketplace.payments.selectors import payment_for_order
from marketplace.payments.transitions import order_status_change
from marketplace.shipping.selectors import order_delivery

from . import line_statuses, statuses
from .line_moves import lines_move
from .models import Line, Order, OrderStatusChange

# The audit trail shows statuses by their labels, in the admin's language.
audit_display.label_values(Order, "status", statuses.LABELS)
audit_display.label_values(Line, "status", line_statuses.LABELS)

# Roles that prepare their own lines of an order (a brand's official store is a seller).
PREPARING_ROLES = frozenset({roles.SELLER, roles.BRAND})


class OrderLineInline(ScopedInline, admin.TabularInline):
    model = Line
    scope = {"channel": "order__channel", "seller": "partner", "brand": "partner__brand"}
    role_permissions = {roles.CHANNEL: VIEW, roles.SELLER: VIEW, roles.BRAND: VIEW}
    fields = ("title", "partner_name", "partner_sku", "quantity", "price", "line_status")
    readonly_fields = fields
    ordering = ("partner_name", "pk")  # the lines per seller
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("price (with tax)"))
    def price(self, line):
        return display.money(line.line_price_incl_tax, line.order.channel, line.order.currency)

    @admin.display(description=_("seller's progress"))
    def line_status(self, line):
        return line_statuses.label(line.status)


class StatusHistoryInline(ScopedInline, admin.TabularInline):
    model = OrderStatusChange
    verbose_name_plural = _("status history")
    fields = ("when", "old_status", "new_status")
    readonly_fields = fields

    @admin.display(description=_("when"))
    def when(self, change):
        return local_datetime(change.date_created, change.order.channel)
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
    list_display = ("number", "channel", "status", "total", "placed")
    list_filter = ("channel", "status", channel_date_filter("date_placed"))
    list_select_related = ("channel",)
    search_fields = ("number", "guest_email", "user__email")
    date_hierarchy = "date_placed"
    inlines = [OrderLineInline, StatusHistoryInline]
    actions = [actions.export_csv, "accept_own_lines", "pack_own_lines", "ship_own_lines"]
    fieldsets = [
        (None, {"fields": ("number", "channel", "status", "placed")}),
        (_("Shopper"), {"fields": (
            "customer", "shipping_address_text", "shipping_phone", "delivery_notes",
        )}),
        (_("Delivery and payment"), {"fields": ("delivery", "payment")}),
        (_("Totals"), {"fields": ("total", "shipping")}),
    ]
    readonly_fields = (
        "number", "channel", "placed", "customer", "shipping_address_text",
        "delivery", "payment", "total", "shipping", "shipping_phone", "delivery_notes",
        "own_units", "own_total",
    )

    # Sellers and brand managers see their own part of an order (their lines,
    # and what shipping needs when the order is theirs alone): the fields are
    # decided in marketplace/order/shared_orders.py.
    partial_roles = frozenset({roles.SELLER, roles.BRAND})
    partial_list_display = ("number", "channel", "status", "own_units", "own_total", "placed")
    partial_search_fields = ("number",)

    def get_partial_fieldsets(self, request, obj):
        fieldsets = [
            (None, {"fields": ("number", "channel", "status", "placed", "payment")}),
            (_("Your lines"), {"fields": ("own_units", "own_total")}),
        ]
        if getattr(obj, "ships_alone", False):
            fieldsets.append((_("Delivery"), {"fields": (
                "delivery", "shipping_address_text", "shipping_phone", "delivery_notes",
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

    # Sellers move their own lines on -----------------------------------------------

    def has_prepare_permission(self, request):
        """Whether the user prepares lines of their own (a seller or a brand's store)."""
        scope = request_scope(request)
        return not request.user.is_superuser and bool(scope.seller_ids or scope.brand_ids)

    def _move_own_lines(self, request, queryset, status):
        own_lines = OrderLineInline(self.model, self.admin_site).scope_condition(
            request, "view", roles_only=PREPARING_ROLES
        )
        if own_lines is None:
            return
        result = lines_move(
            order_ids=queryset.values_list("pk", flat=True), own_lines=own_lines,
            status=status, actor=request.user,
        )
        label = line_statuses.label(status)
        if result.moved:
            self.message_user(request, ngettext(
                "%(count)d line marked %(status)s.", "%(count)d lines marked %(status)s.",
                len(result.moved),
            ) % {"count": len(result.moved), "status": label}, messages.SUCCESS)
        for line, refused in result.refused:
            self.message_user(request, gettext(
                "Order %(number)s, %(title)s: %(old)s, cannot be marked %(status)s "
                "while the order is %(order_status)s."
            ) % {
                "number": line.order.number, "title": line.title,
                "old": line_statuses.label(refused.old), "status": label,
                "order_status": statuses.LABELS.get(refused.order_status, refused.order_status),
            }, messages.WARNING)

    @admin.action(description=_("Accept my lines of the selected orders"), permissions=["prepare"])
    def accept_own_lines(self, request, queryset):
        self._move_own_lines(request, queryset, line_statuses.ACCEPTED)

    @admin.action(description=_("Mark my lines of the selected orders packed"), permissions=["prepare"])
    def pack_own_lines(self, request, queryset):
        self._move_own_lines(request, queryset, line_statuses.PACKED)

    @admin.action(description=_("Mark my lines of the selected orders shipped"), permissions=["prepare"])
    def ship_own_lines(self, request, queryset):
        self._move_own_lines(request, queryset, line_statuses.SHIPPED)

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

    @admin.display(description=_("date placed"), ordering="date_placed")
    def placed(self, order):
        return local_datetime(order.date_placed, order.channel)

    @admin.display(description=_("delivery"))
    def delivery(self, order):
        chosen = order_delivery(order)
        languages = fallback_languages(translation.get_language() or "en", order.channel)
        if chosen.station is not None:
            station = chosen.station
            return format_html(
                "{}: {}<br>{}, {} · {}", gettext("Pickup station"), translated(station, "name", languages),
                station.address, station.city, translated(station, "opening_hours", languages),
            )
        if chosen.option is not None:
            return translated(chosen.option, "name", languages)
        return order.shipping_method or "–"

    @admin.display(description=_("payment"))
    def payment(self, order):
        payment = payment_for_order(order)
        if payment is None:
            return gettext("Pay on delivery: collected by the courier")
        return format_html(
            "{} · {} · {}", payment.get_method_display(), payment.get_status_display(),
            payment.reference,
        )

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

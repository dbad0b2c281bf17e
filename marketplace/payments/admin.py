"""
Payment options per channel (editable) and payments (read-only) in the back office.

Payments are written only by the services (provider notifications, expiry);
operators read them here with the notifications each received. Scoped like
every admin: a country operator manages the payment options of their channels
and sees the payments of orders placed there.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import display
from marketplace.backoffice.dates import channel_date_filter, local_datetime
from marketplace.backoffice.scoping import ALL, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles

from .models import Payment, PaymentNotification, PaymentOption, Refund


@admin.register(PaymentOption)
class PaymentOptionAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("channel", "method", "provider", "cap", "is_active", "position")
    list_display_links = ("method",)
    list_editable = ("is_active", "position")
    list_filter = ("channel", "method", "provider", "is_active")
    list_select_related = ("channel",)
    ordering = ("channel", "position")

    @admin.display(description=_("maximum order total"), ordering="max_order_total")
    def cap(self, option):
        if option.max_order_total is None:
            return "—"
        return display.money(option.max_order_total, option.channel)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentNotificationInline(ReadOnlyAdminMixin, ScopedInline, admin.TabularInline):
    model = PaymentNotification
    extra = 0
    fields = ("received_at", "event_id", "status", "amount", "currency", "outcome", "payload")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "order__channel"}
    role_permissions = {roles.CHANNEL: VIEW}
    list_display = ("reference", "order", "channel", "method", "provider", "money", "status",
                    "created", "expires")
    list_filter = (
        "status", "method", "provider", "order__channel",
        channel_date_filter("created_at", channel_path="order__channel"),
    )
    list_select_related = ("order", "order__channel")
    search_fields = ("reference", "provider_reference", "order__number")
    date_hierarchy = "created_at"
    inlines = [PaymentNotificationInline]

    @admin.display(description=_("channel"), ordering="order__channel")
    def channel(self, payment):
        return payment.order.channel

    @admin.display(description=_("date created"), ordering="created_at")
    def created(self, payment):
        return local_datetime(payment.created_at, payment.order.channel)

    @admin.display(description=_("expiry time"), ordering="expires_at")
    def expires(self, payment):
        return local_datetime(payment.expires_at, payment.order.channel)

    @admin.display(description=_("amount"), ordering="amount")
    def money(self, payment):
        return display.money(payment.amount, payment.order.channel, payment.currency)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, ScopedAdmin, admin.ModelAdmin):
    """Refunds are made by the services (a return received); operators and agents read them."""

    scope = {roles.CHANNEL: "order__channel", roles.AGENT: "order__channel"}
    role_permissions = {roles.CHANNEL: VIEW, roles.AGENT: VIEW}
    list_display = ("reference", "order", "amount", "currency", "status", "created_at", "completed_at")
    list_filter = ("status",)
    list_select_related = ("order",)
    search_fields = ("reference", "order__number")

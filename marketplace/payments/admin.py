"""
Payment options per channel (editable) and payments (read-only) in the back office.

Payments are written only by the services (provider notifications, expiry);
operators read them here with the notifications each received. Scoped like
every admin: a country operator manages the payment options of their channels
and sees the payments of orders placed there.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import display
from marketplace.backoffice.dates import channel_date_filter, local_datetime
from marketplace.backoffice.scoping import ALL, CHANGE, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles

from . import payouts
from .exceptions import RefundRefused
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


class NeedsActionFilter(admin.SimpleListFilter):
    """Refunds someone must act on: failed (ask again from the return), or to be paid back by hand."""

    title = _("needs action")
    parameter_name = "needs_action"

    def lookups(self, request, model_admin):
        return [("yes", _("Needs action"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=[Refund.Status.FAILED, Refund.Status.MANUAL])
        return queryset


class RefundPayoutForm(forms.ModelForm):
    """Record a payout made by hand, or (another operator) confirm it."""

    confirm = forms.BooleanField(label=_("I checked that this money reached the shopper"), required=False)
    operator = None  # the user saving the form (set by the admin)

    class Meta:
        model = Refund
        fields = ("payout_reference",)

    def clean(self):
        cleaned = super().clean()
        refund = self.instance
        if refund.payout_recorded_by_id is None:
            if not (cleaned.get("payout_reference") or "").strip():
                raise forms.ValidationError(
                    _("Say how the money was paid back: its transfer or mobile money reference."))
        elif not cleaned.get("confirm"):
            raise forms.ValidationError(_("Tick the box to confirm the payout."))
        elif self.operator is not None and refund.payout_recorded_by_id == self.operator.pk:
            raise forms.ValidationError(_("Another operator confirms this payout: not the one who recorded it."))
        return cleaned


@admin.register(Refund)
class RefundAdmin(ScopedAdmin, admin.ModelAdmin):
    """Refunds are made by the services (a return received); operators and agents read them.

    A refund to be paid back by hand is recorded by one of the channel's operators and
    confirmed by another (``payouts``); nothing else here is ever edited.
    """

    scope = {roles.CHANNEL: "order__channel", roles.AGENT: "order__channel"}
    role_permissions = {roles.CHANNEL: CHANGE, roles.AGENT: VIEW}
    form = RefundPayoutForm
    list_display = ("reference", "order", "money", "status", "created_at", "completed_at")
    list_filter = (NeedsActionFilter, "status")
    list_select_related = ("order", "order__channel")
    search_fields = ("reference", "order__number")
    shown = ("reference", "order", "money", "status", "reason", "created_at", "completed_at",
             "payout_recorded_by", "payout_recorded_at", "payout_confirmed_by", "payout_confirmed_at")

    @admin.display(description=_("amount"), ordering="amount")
    def money(self, refund):
        return display.money(refund.amount, refund.order.channel, refund.currency)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Refund.Status.MANUAL:
            return False  # only a payout by hand is written here
        return super().has_change_permission(request, obj)

    def _records(self, request, obj) -> bool:
        return (obj is not None and obj.payout_recorded_by_id is None
                and self.has_change_permission(request, obj))

    def get_fields(self, request, obj=None):
        fields = [*self.shown, "payout_reference"]
        if obj is not None and obj.payout_recorded_by_id is not None and self.has_change_permission(request, obj):
            fields.append("confirm")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.shown if self._records(request, obj) else (*self.shown, "payout_reference")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"operator": request.user})

    def save_model(self, request, obj, form, change):
        # Through the services (locked, by the rules): the form's object is never saved as is.
        try:
            if obj.payout_recorded_by_id is None:
                payouts.refund_payout_record(refund_id=obj.pk, operator=request.user,
                                             reference=form.cleaned_data.get("payout_reference", ""))
            elif form.cleaned_data.get("confirm"):
                payouts.refund_payout_confirm(refund_id=obj.pk, operator=request.user)
        except RefundRefused as exc:
            raise PermissionDenied(exc.message) from None

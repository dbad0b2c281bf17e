"""Customer service in the back office: the channel's help desk data, and its queue of requests.

A channel's customer-service agents (members of the channel of the kind
"agent") and its operators answer the requests of their channels from the
request's page: the reply is written there, sent by e-mail after commit and
shown on the request's page for the shopper. A seller sees (read only) the
requests about orders holding its lines.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.backoffice.scoping import ALL, CHANGE, VIEW, ScopedAdmin
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.stores.admin import ScopedTranslationInline

from . import return_rules, returns
from .models import HelpDesk, HelpDeskTranslation, HelpMessage, HelpRequest, ReturnRequest
from .services import agent_reply


@admin.register(HelpDesk)
class HelpDeskAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel", roles.AGENT: "channel"}
    role_permissions = {roles.CHANNEL: ALL, roles.AGENT: VIEW}
    list_display = ("channel", "phone", "whatsapp", "email", "days", "opens_at", "closes_at", "return_days")
    list_select_related = ("channel",)
    inlines = [translation_inline(HelpDeskTranslation, ("days",), base=ScopedTranslationInline)]


class HelpRequestForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply"), required=False, max_length=HelpMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the shopper by e-mail and shown on the request's page."),
    )

    class Meta:
        model = HelpRequest
        fields = ("status",)


@admin.register(HelpRequest)
class HelpRequestAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel", roles.AGENT: "channel", roles.SELLER: "order__lines__partner"}
    role_permissions = {roles.CHANNEL: CHANGE, roles.AGENT: CHANGE, roles.SELLER: VIEW}
    form = HelpRequestForm
    list_display = ("reference", "channel", "topic", "status", "order", "email", "date_updated")
    list_filter = ("channel", "status", "topic")
    list_select_related = ("channel", "order")
    search_fields = ("reference", "email", "order__number")
    readonly_fields = ("reference", "channel", "order", "name", "email", "language", "topic",
                       "date_created", "thread")
    # A seller reads the requests about its orders, never the shopper's e-mail (the order
    # rules of shared_orders.py): no e-mail column, search by reference or order only.
    partial_roles = (roles.SELLER,)
    partial_list_display = ("reference", "channel", "topic", "status", "order", "date_updated")
    partial_search_fields = ("reference", "order__number")

    def get_fields(self, request, obj=None):
        return (*self.readonly_fields, "status", "reply")

    def get_partial_fieldsets(self, request, obj):
        return [(None, {"fields": ("reference", "channel", "order", "topic", "date_created", "thread")})]

    @admin.display(description=_("messages"))
    def thread(self, obj):
        return format_html_join(
            "", "<p><strong>{}</strong> · {}<br>{}</p>",
            ((_("Customer service") if m.from_agent else obj.name, m.date_created, m.body)
             for m in obj.messages.all()),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reply = form.cleaned_data.get("reply")
        if reply:
            agent_reply(request=obj, agent=request.user, body=reply)

    def has_add_permission(self, request):
        return False  # requests come from shoppers (the contact form)


class ReturnRequestForm(forms.ModelForm):
    """Approve, refuse (with a reason) or receive a return, by the rules."""

    class Meta:
        model = ReturnRequest
        fields = ("status", "refusal_reason")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != self.instance.status:
            try:
                return_rules.move(self.instance.status, status, refusal_reason=cleaned.get("refusal_reason") or "")
            except return_rules.ReturnRefused as exc:
                raise forms.ValidationError(exc.message) from None
        return cleaned


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ScopedAdmin, admin.ModelAdmin):
    """Returns of a channel's orders: its agents and operators decide, and the seller of the line."""

    scope = {roles.CHANNEL: "order__channel", roles.AGENT: "order__channel", roles.SELLER: "line__partner"}
    role_permissions = {roles.CHANNEL: CHANGE, roles.AGENT: CHANGE, roles.SELLER: CHANGE}
    form = ReturnRequestForm
    list_display = ("reference", "order", "item", "quantity", "status", "refund_status", "date_created")
    list_filter = ("status",)
    list_select_related = ("order", "line", "refund")
    search_fields = ("reference", "order__number")
    readonly_fields = ("reference", "order", "item", "quantity", "reason", "refund_status", "date_created")

    def get_fields(self, request, obj=None):
        return (*self.readonly_fields, "status", "refusal_reason")

    @admin.display(description=_("item"))
    def item(self, obj):
        return obj.line.title

    @admin.display(description=_("refund"))
    def refund_status(self, obj):
        if obj.refund is None:
            return "—"
        return f"{obj.refund.get_status_display()} · {obj.refund.amount} {obj.refund.currency}"

    def has_add_permission(self, request):
        return False  # shoppers ask, from their order's page

    actions = ("retry_refunds",)

    @admin.action(description=_("Ask the provider again for the failed refunds of the selected returns"),
                  permissions=["change"])
    def retry_refunds(self, request, queryset):
        retried = 0
        for pk in queryset.values_list("pk", flat=True):  # the scoped queryset: only the user's returns
            try:
                retried += returns.return_refund_retry(return_id=pk)
            except return_rules.ReturnRefused as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
        self.message_user(request, ngettext(
            "%(count)d refund asked for again.", "%(count)d refunds asked for again.", retried,
        ) % {"count": retried})

    def save_model(self, request, obj, form, change):
        # Through the services (locked, by the rules; receiving restocks and refunds once).
        if "status" not in form.changed_data:
            return
        try:
            if obj.status == return_rules.RECEIVED:
                returns.return_receive(return_id=obj.pk)
            else:
                returns.return_decide(return_id=obj.pk, approve=obj.status == return_rules.APPROVED,
                                      refusal_reason=obj.refusal_reason)
        except return_rules.ReturnRefused as exc:
            raise PermissionDenied(exc.message) from None

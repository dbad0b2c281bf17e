"""Customer service in the back office: the channel's help desk data, and its queue of requests.

A channel's customer-service agents (members of the channel of the kind
"agent") and its operators answer the requests of their channels from the
request's page: the reply is written there, sent by e-mail after commit and
shown on the request's page for the shopper. A seller sees (read only) the
requests about orders holding its lines.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice.scoping import ALL, CHANGE, VIEW, ScopedAdmin
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.stores.admin import ScopedTranslationInline

from .models import HelpDesk, HelpDeskTranslation, HelpMessage, HelpRequest
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

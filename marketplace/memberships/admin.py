"""Memberships in the back office: granted by the marketplace's superusers only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.backoffice.scoping import VIEW, ScopedAdmin

from . import roles
from .models import Membership
from .services import staff_ensure


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "brand", "seller", "channel", "kind", "service_centre")

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("brand", "seller", "channel", "service_centre") if cleaned.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(_("Choose exactly one brand, seller or channel."))
        if cleaned.get("kind") == Membership.AGENT and not cleaned.get("channel"):
            raise forms.ValidationError(_("A customer-service agent is a member of a channel."))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin, admin.ModelAdmin):
    """Who holds which role. Brand managers and operators see their own teams."""

    scope = {"brand": "brand", "seller": "seller", "channel": "channel"}
    role_permissions = {roles.BRAND: VIEW, roles.SELLER: VIEW, roles.CHANNEL: VIEW}
    form = MembershipForm
    list_display = ("user", "role", "target", "date_created")
    list_filter = ("brand", "seller", "channel")
    list_select_related = ("user", "brand", "seller", "channel", "service_centre")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staff_ensure(user=obj.user)  # a member works in the back office

    @admin.display(description=gettext_lazy("role"))
    def role(self, membership):
        return membership.role_label

    @admin.display(description=gettext_lazy("of"))
    def target(self, membership):
        return membership.target

"""
Exclusive-listing rules in the back office.

Superusers and country operators write rules (operators only for channels they
run, and only rules whose every channel they run: the scoping mixin's rule for
every object that reaches several countries); brand managers read their
brand's. Forms and actions call the services, which validate, record history
and lock what they must.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from oscar.apps.catalogue.models import Product

from marketplace.backoffice.dates import local_datetime
from marketplace.backoffice.models import AuditEntry
from marketplace.backoffice.scoping import EDIT, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope
from marketplace.partner.models import Partner

from . import services
from .models import ExclusiveRule, ListingSuspension


class ExclusiveRuleForm(forms.ModelForm):
    actor = None  # set by the admin: whose rights the rule is checked against

    class Meta:
        model = ExclusiveRule
        fields = ("product", "store", "channels", "starts_at", "ends_at", "reason")
        widgets = {"channels": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("product", "store", "channels", "starts_at", "ends_at")):
            return cleaned
        try:
            services.validate_rule(
                rule_id=self.instance.pk, product=cleaned.get("product"),
                store=cleaned.get("store"), channels=cleaned.get("channels") or [],
                starts_at=cleaned.get("starts_at"), ends_at=cleaned.get("ends_at"),
                actor=self.actor,
            )
        except ValidationError as error:
            for name, found in error.message_dict.items():
                target = name if name in self.fields else None
                for message in found:
                    self.add_error(target, message)
        return cleaned


class ListingSuspensionInline(ScopedInline, admin.TabularInline):
    """Listings this rule has taken off sale (back on sale when it ends)."""

    model = ListingSuspension
    # The listing in words, not a link: a brand manager reading its rule may
    # not open another seller's listing (the link was a 404 for them).
    fields = ("listing_text", "suspended_when")
    readonly_fields = ("listing_text", "suspended_when")
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "listing__product", "listing__partner", "listing__channel"
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("listing"))
    def listing_text(self, suspension):
        return str(suspension.listing)

    @admin.display(description=gettext_lazy("suspended at"))
    def suspended_when(self, suspension):
        return local_datetime(suspension.suspended_at, suspension.listing.channel)


def starting_soon_period() -> timedelta:
    return timedelta(days=settings.BACKOFFICE_STARTING_SOON_DAYS)


class WindowFilter(admin.SimpleListFilter):
    """Rules in force now, or starting soon: what the admin index counts and links to."""

    title = gettext_lazy("window")
    parameter_name = "window"

    def lookups(self, request, model_admin):
        days = settings.BACKOFFICE_STARTING_SOON_DAYS
        return [
            ("in_force", gettext_lazy("In force")),
            ("starting", ngettext(
                "Starting within %(days)d day", "Starting within %(days)d days", days
            ) % {"days": days}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "in_force":
            return queryset.in_force(timezone.now())
        if self.value() == "starting":
            return queryset.starting_within(timezone.now(), starting_soon_period())
        return queryset


@admin.action(description=gettext_lazy("End the selected rules now"), permissions=["change"])
def end_now(modeladmin, request, queryset):
    ended = 0
    for rule in modeladmin.scoped_queryset(request, queryset, "change"):
        if not modeladmin.has_change_permission(request, rule):
            continue
        try:
            services.rule_end(rule=rule, actor=request.user)
            ended += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{rule}: {' '.join(error.messages)}", messages.WARNING)
    if ended:
        modeladmin.message_user(
            request,
            ngettext("%(count)d rule ended.", "%(count)d rules ended.", ended) % {"count": ended},
            messages.SUCCESS
        )


@admin.register(ExclusiveRule)
class ExclusiveRuleAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.BRAND: "store__brand", roles.CHANNEL: "channels"}
    role_permissions = {roles.BRAND: VIEW, roles.CHANNEL: EDIT}
    form = ExclusiveRuleForm
    list_display = ("product", "store", "channel_codes", "local_window", "status")
    list_filter = ("channels", "store", WindowFilter)
    list_select_related = ("product", "store")
    search_fields = ("product__title", "product__upc", "store__name", "reason")
    autocomplete_fields = ("product",)
    readonly_fields = ("local_window", "creator", "date_created", "date_updated")
    inlines = [ListingSuspensionInline]
    actions = [end_now]
    object_history_template = "exclusives/admin/object_history.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channels")

    def has_delete_permission(self, request, obj=None):
        # Rules are ended, not deleted: their history stays whole.
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        attrs = {"actor": request.user}
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: no "Leave empty for no end date" and the like on a page
            # nobody can fill in.
            meta = type("Meta", (form.Meta,), {
                "help_texts": {field.name: "" for field in ExclusiveRule._meta.get_fields()},
            })
            attrs["Meta"] = meta
        return type(form.__name__, (form,), attrs)

    @admin.display(description=gettext_lazy("created by"))
    def creator(self, rule):
        if rule.created_by_id is None:
            return _("the marketplace (set up with the shop)")
        return rule.created_by.get_username()

    def choices_for_product(self, request, queryset):
        return queryset.exclude(structure=Product.CHILD)

    def choices_for_store(self, request, queryset):
        channels = request_scope(request).channel_ids
        return queryset.filter(pk__in=Partner.objects.filter(channels__in=channels).values("pk"))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        values = {
            "product": data["product"], "store": data["store"], "channels": data["channels"],
            "starts_at": data["starts_at"], "ends_at": data.get("ends_at"),
            "reason": data.get("reason", ""), "actor": request.user,
        }
        if change:
            saved = services.rule_update(rule=obj, **values)
        else:
            saved = services.rule_create(**values)
        form.instance = saved.rule
        obj.pk = saved.rule.pk
        for warning in saved.warnings:
            self.message_user(request, warning, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        # The service set the channels; the scoping check still runs.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        self.ensure_allowed(request, "change" if change else "add", form.instance)

    def history_view(self, request, object_id, extra_context=None):
        entries = AuditEntry.objects.filter(
            content_type__app_label="exclusives", content_type__model="exclusiverule",
            object_id=str(object_id),
        ).order_by("when", "pk")
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), "audit_entries": entries}
        )

    @admin.display(description=gettext_lazy("channels"))
    def channel_codes(self, rule):
        return ", ".join(c.code.upper() for c in rule.channels.all())

    @admin.display(description=gettext_lazy("window in each country's time"))
    def local_window(self, rule):
        if rule is None or rule.pk is None:
            return "–"
        rows = []
        # In the admin's language, each in its country's time (named).
        for channel in rule.channels.all():
            end = local_datetime(rule.ends_at, channel) if rule.ends_at else _("no end date")
            rows.append((str(channel), local_datetime(rule.starts_at, channel), end))
        return format_html_join("", "<div>{}: {} → {}</div>", rows)

    @admin.display(description=gettext_lazy("status"))
    def status(self, rule):
        now = timezone.now()
        if now < rule.starts_at:
            return _("Scheduled")
        if rule.ends_at is not None and rule.ends_at <= now:
            return _("Ended")
        return _("In force")

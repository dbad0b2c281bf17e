"""
Flash sales in the back office.

Brand managers create and run sales of their brand's official stores' listings,
sellers of their own; a draft is submitted, and a country operator of every one
of the sale's countries approves it (or the superuser does). Operators see the
sales of their countries and can stop one early; once approved, a sale's terms
are read-only to its owners (a stop is the way out). Each sale has a live view:
units claimed, reserved, ordered and left per channel, refreshed without reload.
Changes are audited (``apps``); forms validate through ``services``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from marketplace.backoffice import display
from marketplace.backoffice.dates import local_datetime
from marketplace.backoffice.scoping import EDIT, VIEW, Record, ScopedAdmin, ScopedInline
from marketplace.exclusives import messages as rule_messages
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope

from . import services
from .live import live_figures
from .models import AcceptedOrder, Festival, FestivalTranslation, Sale, SaleItem

LOCKED = (Sale.APPROVED, Sale.STOPPED)


class SaleItemForm(forms.ModelForm):
    class Meta:
        model = SaleItem
        fields = ("listing", "sale_price", "units", "per_shopper_limit", "per_order_limit")

    def __init__(self, *args, channel_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel_ids = channel_ids  # the channels chosen on the sale's form

    def clean(self):
        cleaned = super().clean()
        sale, listing = getattr(self.instance, "sale", None), cleaned.get("listing")
        if self.errors or listing is None or sale is None or sale.seller_id is None:
            return cleaned
        try:
            services.validate_item(
                sale=sale, listing=listing, sale_price=cleaned["sale_price"], units=cleaned["units"],
                per_shopper=cleaned["per_shopper_limit"], per_order=cleaned.get("per_order_limit"),
                item_id=self.instance.pk, channel_ids=self.channel_ids,
            )
        except ValidationError as error:
            for name, found in error.message_dict.items():
                for message in found:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


class SaleItemInline(ScopedInline, admin.TabularInline):
    model = SaleItem
    form = SaleItemForm
    fields = ("listing", "sale_price", "units", "per_shopper_limit", "per_order_limit")
    autocomplete_fields = ()
    extra = 1


class SaleForm(forms.ModelForm):
    class Meta:
        model = Sale
        fields = ("name", "festival", "seller", "channels", "starts_at", "ends_at", "reservation_minutes")
        widgets = {"channels": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        seller, channels = cleaned.get("seller"), cleaned.get("channels")
        if seller is not None and channels is not None:
            outside = set(channels.values_list("pk", flat=True)) - set(seller.channels.values_list("pk", flat=True))
            if outside:
                self.add_error("channels", _("The seller does not sell in every one of these channels."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


def _operates_all(request, sale) -> bool:
    if request.user.is_superuser:
        return True
    mine = request_scope(request).ids(roles.CHANNEL)
    channels = set(sale.channels.values_list("pk", flat=True))
    return bool(channels) and channels <= set(mine)


@admin.action(description=gettext_lazy("Submit the selected sales for approval"), permissions=["change"])
def submit(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, lambda sale: services.sale_submit(sale=sale),
           lambda sale: modeladmin.has_change_permission(request, sale))


@admin.action(description=gettext_lazy("Approve the selected sales"), permissions=["approve"])
def approve(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, lambda sale: services.sale_approve(sale=sale, actor=request.user),
           lambda sale: _operates_all(request, sale))


@admin.action(description=gettext_lazy("Stop the selected sales now"), permissions=["approve"])
def stop(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, lambda sale: services.sale_stop(sale=sale, actor=request.user),
           lambda sale: _operates_all(request, sale))


def _apply(modeladmin, request, queryset, act, allowed):
    done = 0
    for sale in modeladmin.scoped_queryset(request, queryset, "view"):
        if not allowed(sale):
            modeladmin.message_user(request, _("%(sale)s: not in your countries.") % {"sale": sale}, messages.WARNING)
            continue
        try:
            act(sale)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{sale}: {' '.join(error.messages)}", messages.WARNING)
    if done:
        modeladmin.message_user(
            request, ngettext("%(count)d sale updated.", "%(count)d sales updated.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Sale)
class SaleAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.BRAND: "seller__brand", roles.SELLER: "seller", roles.CHANNEL: "channels"}
    role_permissions = {roles.BRAND: EDIT, roles.SELLER: EDIT, roles.CHANNEL: VIEW}
    form = SaleForm
    inlines = [SaleItemInline]
    list_display = ("name", "seller", "channel_codes", "starts_at", "ends_at", "status", "live_link")
    list_filter = ("status", "channels")
    list_select_related = ("seller",)
    search_fields = ("name", "seller__name")
    readonly_fields = ("status", "local_window", "approved_by", "stopped_at", "live_link")
    actions = [submit, approve, stop]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channels")

    def has_approve_permission(self, request):
        return request.user.is_superuser or bool(request_scope(request).ids(roles.CHANNEL))

    def has_change_permission(self, request, obj=None):
        # Approved or stopped: the terms stay as approved (stop it instead).
        if obj is not None and obj.status in LOCKED and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status in LOCKED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST":
            # The items' checks use the channels chosen on this very form.
            chosen = [int(c) for c in request.POST.getlist("channels") if c.isdigit() and len(c) < 10]
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "channel_ids": chosen}
        return kwargs

    def get_urls(self):
        return [
            path("<int:sale_id>/live/", self.admin_site.admin_view(self.live_view), name="flashsales_sale_live"),
            path("<int:sale_id>/live.json", self.admin_site.admin_view(self.live_json),
                 name="flashsales_sale_live_json"),
            *super().get_urls(),
        ]

    def _visible_sale(self, request, sale_id):
        sale = get_object_or_404(self.get_queryset(request), pk=sale_id)
        if not self.has_view_permission(request, sale):
            raise PermissionDenied
        return sale

    def live_view(self, request, sale_id):
        sale = self._visible_sale(request, sale_id)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "sale": sale,
                   "title": _("Live: %(sale)s") % {"sale": sale}, "rows": live_figures(sale)}
        return TemplateResponse(request, "flashsales/admin/live.html", context)

    def live_json(self, request, sale_id):
        sale = self._visible_sale(request, sale_id)
        return JsonResponse({"rows": [
            {key: value for key, value in row.items() if key != "item"} for row in live_figures(sale)
        ]})

    @admin.display(description=gettext_lazy("live view"))
    def live_link(self, sale):
        if sale is None or sale.pk is None:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:flashsales_sale_live", args=[sale.pk]), _("Live"))

    @admin.display(description=gettext_lazy("channels"))
    def channel_codes(self, sale):
        return ", ".join(c.code.upper() for c in sale.channels.all())

    @admin.display(description=gettext_lazy("window in each country's time"))
    def local_window(self, sale):
        if sale is None or sale.pk is None:
            return "–"
        rows = [(c.code.upper(), rule_messages.when(sale.starts_at, c), rule_messages.when(sale.ends_at, c),
                 c.timezone) for c in sale.channels.all()]
        return format_html_join("", "<div>{}: {} → {} ({})</div>", rows)


@admin.register(Festival)
class FestivalAdmin(ScopedAdmin, admin.ModelAdmin):
    """Festivals group several countries' sales: the marketplace's (superusers) to name."""

    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [translation_inline(FestivalTranslation, ("name",))]


@admin.register(AcceptedOrder)
class AcceptedOrderAdmin(Record, ScopedAdmin, admin.ModelAdmin):
    """Flash-sale orders accepted at the peak (``accepting``): their country's operators watch the
    ones a worker has not written yet, and why (``problem``; beat tries again every minute).
    A record of orders taken: written by the worker, never by hand."""

    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: VIEW}
    list_display = ("number", "channel", "accepted_when", "total_display", "written", "problem")
    list_filter = ("channel", ("order", admin.EmptyFieldListFilter))
    list_select_related = ("channel",)
    search_fields = ("number",)
    fields = ("number", "channel", "accepted_when", "total_display", "order", "problem")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("accepted at"), ordering="accepted_at")
    def accepted_when(self, accepted):
        return local_datetime(accepted.accepted_at, accepted.channel)  # the country's own time

    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_display(self, accepted):
        return display.money(accepted.total, accepted.channel)

    @admin.display(description=gettext_lazy("written"), boolean=True)
    def written(self, accepted):
        return accepted.order_id is not None

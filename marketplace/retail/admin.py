"""
Partner retailers in the back office.

A retailer (a seller membership of the shop's partner) changes its own shop and
answers its own orders; its listings are the partner admin's, scoped the same
way. Country operators run their countries' shops, zones and policy and see the
shops' orders; brand managers see the shops that are partners of their brand and
what they sell.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.backoffice import display
from marketplace.backoffice.scoping import ALL, CHANGE, EDIT, VIEW, ScopedAdmin, ScopedInline
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope
from marketplace.order.models import Line
from marketplace.payments.models import PaymentOption

from . import by_message, invitations, selectors, services
from .forms import RetailerForm
from .models import (
    OpeningHours,
    OrderRequest,
    Retailer,
    RetailerInvitation,
    RetailOrder,
    RetailPolicy,
    Zone,
)


class OpeningHoursInline(ScopedInline, admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Retailer)
class RetailerAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.SELLER: "partner", roles.CHANNEL: "channel", roles.BRAND: "brands"}
    role_permissions = {roles.SELLER: CHANGE, roles.CHANNEL: EDIT, roles.BRAND: VIEW}
    form = RetailerForm
    list_display = ("name", "city", "district", "channel", "is_active")
    list_filter = ("channel", "is_active")
    list_select_related = ("channel",)
    search_fields = ("name", "city", "district", "slug")
    inlines = [OpeningHoursInline]
    filter_horizontal = ("brands",)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ("partner", "channel")
        if not request.user.is_superuser and not self.allows(request, "add"):
            # The shop completes its profile; who it is and where it sells are the operator's.
            fields += ("slug", "brands", "cash_on_delivery_limit", "is_active")
        return tuple(dict.fromkeys(fields))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.retailer_saved(obj)


@admin.register(Zone)
class ZoneAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("city", "district", "status", "starts_at", "delivery_from", "delivery_until",
                    "shop_pickup_allowed", "channel")
    list_filter = ("channel", "status")
    list_select_related = ("channel",)
    search_fields = ("city", "district")
    date_hierarchy = "starts_at"


@admin.register(RetailPolicy)
class RetailPolicyAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("channel", "answer_within_minutes", "delivery_code_tries")


class RetailOrderForm(forms.ModelForm):
    """The shop's order: only the delivery code is entered here (everything else is read)."""

    code = forms.CharField(
        label=_("delivery code from the shopper"), required=False, max_length=16,
        help_text=_("Entered at the handover: completes the delivery."),
    )

    class Meta:
        model = RetailOrder
        fields = ()

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("code") or "").strip()
        if code and self.instance.pk:
            try:
                services.retail_order_deliver(self.instance, code)
            except services.RetailError as error:
                raise ValidationError({"code": error.message}) from error
        return cleaned


class RefusedFormIs400:
    """A change form sent back with errors (a wrong delivery code, a request the shop
    cannot place) answers 400, not 200: nothing was done, and a client can tell."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response


def _each(request, queryset, service, done_message):
    done = 0
    for retail_order in queryset:
        try:
            service(retail_order)
            done += 1
        except services.RetailError as error:
            messages.error(request, f"{retail_order}: {error.message}")
    if done:
        messages.success(request, done_message(done))


class BrandSalesFilter(admin.SimpleListFilter):
    """A brand manager's partner shops' orders that sell their brand's products
    (``selectors.brand_sale_lines``): the rows the home's brand sales figures add up.
    Offered only to brand managers (their memberships, no query)."""

    title = _("sales of your brand")
    parameter_name = selectors.BRAND_SALES_PARAMETER

    def lookups(self, request, model_admin):
        if not request_scope(request).brand_ids:
            return []
        return [("yes", _("Orders with your brand's products (not cancelled or declined)"))]

    def queryset(self, request, queryset):
        brand_ids = request_scope(request).brand_ids
        if self.value() != "yes" or not brand_ids:
            return queryset
        lines = Line.objects.filter(selectors.brand_sale_lines(brand_ids), order=OuterRef("order_id"))
        return queryset.filter(Exists(lines))


@admin.register(RetailOrder)
class RetailOrderAdmin(RefusedFormIs400, ScopedAdmin, admin.ModelAdmin):
    scope = {
        roles.SELLER: "retailer__partner", roles.CHANNEL: "retailer__channel",
        roles.BRAND: "retailer__brands",
    }
    role_permissions = {roles.SELLER: CHANGE, roles.CHANNEL: VIEW, roles.BRAND: VIEW}
    form = RetailOrderForm
    list_display = ("order", "retailer", "status", "handover", "contactless", "answer_by",
                    "order_total", "date_created")
    list_filter = ("status", "handover", "retailer__channel", BrandSalesFilter)
    list_select_related = ("order__channel", "retailer")
    search_fields = ("order__number", "retailer__name")
    readonly_fields = ("order", "retailer", "status", "handover", "contactless", "answer_by",
                       "code_tries", "order_total", "shipping_address", "date_created")
    fields = readonly_fields + ("code",)
    actions = ["accept", "decline", "out_for_delivery"]
    # A brand reads its partner shops' orders as a seller reads a shared order: never the
    # shopper's address or the order's total (shared_orders.py), search by number only.
    partial_roles = (roles.BRAND,)
    partial_list_display = ("order", "retailer", "status", "handover", "date_created")
    partial_search_fields = ("order__number",)

    # The home's figures link here for the days an order was placed (backoffice_home);
    # when a shop's order was placed is no secret from anyone who sees the row.
    period_lookups = ("order__date_placed__gte", "order__date_placed__lt")

    def get_partial_fieldsets(self, request, obj):
        return [(None, {"fields": ("order", "retailer", "status", "handover", "date_created")})]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in self.period_lookups or lookup == BrandSalesFilter.parameter_name:
            return True
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False  # placed by shoppers at checkout

    def save_model(self, request, obj, form, change):
        # The form's code went through ``retail_order_deliver`` (which saved what it
        # changed, under a row lock); saving this stale copy would undo it.
        pass

    def has_delete_permission(self, request, obj=None):
        return False  # kept with their order

    @admin.display(description=_("total"))
    def order_total(self, retail_order):
        order = retail_order.order
        return display.money(order.total_incl_tax, order.channel, order.currency)

    @admin.display(description=_("delivery address"))
    def shipping_address(self, retail_order):
        address = retail_order.order.shipping_address
        return ", ".join(address.active_address_fields()) if address else "–"

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return self.readonly_fields

    def get_actions(self, request):
        found = super().get_actions(request)
        if not self.allows(request, "change"):
            for name in self.actions:
                found.pop(name, None)
        return found

    @admin.action(description=_("Accept the selected orders"))
    def accept(self, request, queryset):
        _each(request, queryset, services.retail_order_accept,
              lambda n: ngettext("%(n)d order accepted.", "%(n)d orders accepted.", n) % {"n": n})

    @admin.action(description=_("Decline the selected orders"))
    def decline(self, request, queryset):
        _each(request, queryset, services.retail_order_decline,
              lambda n: ngettext("%(n)d order declined.", "%(n)d orders declined.", n) % {"n": n})

    @admin.action(description=_("Mark the selected orders out for delivery"))
    def out_for_delivery(self, request, queryset):
        _each(request, queryset, services.retail_order_out_for_delivery,
              lambda n: ngettext("%(n)d order out for delivery.", "%(n)d orders out for delivery.",
                                 n) % {"n": n})


class OrderRequestForm(forms.ModelForm):
    """The shop confirmed the request with the shopper: place it as an order in one step."""

    place = forms.BooleanField(label=_("place the order now"), required=False)
    handover = forms.ChoiceField(label=_("handover"), choices=RetailOrder.HANDOVERS, required=False)
    first_name = forms.CharField(label=_("first name"), max_length=255, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=255, required=False)
    line1 = forms.CharField(label=_("delivery address"), max_length=255, required=False)
    city = forms.CharField(label=_("city"), max_length=255, required=False)
    district = forms.CharField(label=_("district"), max_length=255, required=False)
    payment_option = forms.ModelChoiceField(
        label=_("payment"), queryset=PaymentOption.objects.none(), required=False
    )

    class Meta:
        model = OrderRequest
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Only the shop's own channel's ways to pay: a foreign id is not a valid choice.
            self.fields["payment_option"].queryset = PaymentOption.objects.filter(
                channel_id=self.instance.retailer.channel_id, is_active=True
            ).order_by("position", "pk")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") or not self.instance.pk:
            return cleaned
        required = ["handover", "first_name", "payment_option"]
        if cleaned.get("handover") == RetailOrder.DELIVERY:
            required += ["line1", "city"]
        missing = [name for name in required if not cleaned.get(name)]
        for name in missing:
            self.add_error(name, _("This field is required."))
        if missing:
            return cleaned
        try:
            by_message.order_request_place(
                self.instance, handover=cleaned["handover"], first_name=cleaned["first_name"],
                last_name=cleaned.get("last_name") or "", line1=cleaned.get("line1") or "",
                city=cleaned.get("city") or "", district=cleaned.get("district") or "",
                payment_option=cleaned["payment_option"],
            )
        except by_message.RequestRefused as error:
            raise ValidationError(error.message) from error
        return cleaned


@admin.register(OrderRequest)
class OrderRequestAdmin(RefusedFormIs400, ScopedAdmin, admin.ModelAdmin):
    """Orders by text or WhatsApp: the shop's own (shoppers' numbers: no brand sees them)."""

    scope = {roles.SELLER: "retailer__partner", roles.CHANNEL: "retailer__channel"}
    role_permissions = {roles.SELLER: CHANGE, roles.CHANNEL: VIEW}
    form = OrderRequestForm
    list_display = ("__str__", "retailer", "status", "medium", "phone", "listing", "quantity",
                    "order", "date_created")
    list_filter = ("status", "medium", "retailer__channel")
    list_select_related = ("retailer", "listing__product", "order")
    search_fields = ("phone", "retailer__name", "order__number")
    readonly_fields = ("retailer", "status", "medium", "phone", "message_text", "listing",
                       "quantity", "order", "date_created")
    placing_fields = ("place", "handover", "first_name", "last_name", "line1", "city", "district",
                      "payment_option")
    actions = ["decline"]

    @admin.display(description=_("message"))
    def message_text(self, order_request):
        return order_request.message.text

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == OrderRequest.NEW and self.has_change_permission(request, obj):
            return self.readonly_fields + self.placing_fields
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # made by shoppers' messages

    def has_delete_permission(self, request, obj=None):
        return False  # kept with their message

    def save_model(self, request, obj, form, change):
        pass  # the form placed the order (``order_request_place``, under a row lock)

    def get_actions(self, request):
        found = super().get_actions(request)
        if not self.allows(request, "change"):
            found.pop("decline", None)
        return found

    @admin.action(description=_("Decline the selected requests (the shopper is told)"))
    def decline(self, request, queryset):
        done = 0
        for order_request in queryset:
            try:
                by_message.order_request_decline(order_request)
                done += 1
            except by_message.RequestRefused as error:
                messages.error(request, f"{order_request}: {error.message}")
        if done:
            messages.success(request, ngettext(
                "%(n)d request declined.", "%(n)d requests declined.", done) % {"n": done})


@admin.register(RetailerInvitation)
class RetailerInvitationAdmin(ScopedAdmin, admin.ModelAdmin):
    """A country operator invites a new partner retailer of one of their channels by e-mail."""

    scope = {roles.CHANNEL: "channel"}
    role_permissions = {roles.CHANNEL: frozenset({"view", "add"})}
    list_display = ("email", "shop_name", "channel", "expires_at", "accepted_at", "retailer")
    list_filter = ("channel",)
    list_select_related = ("channel", "retailer")
    search_fields = ("email", "shop_name")
    fields = ("channel", "email", "shop_name")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # sent: what it was sent to stays as sent
            return ("channel", "email", "shop_name", "invited_by", "expires_at", "accepted_at",
                    "retailer")
        return ()

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        invitations.invitation_save(obj, invited_by=request.user)
        messages.info(request, _("The invitation is on its way to %(email)s.") % {"email": obj.email})

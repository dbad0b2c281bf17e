"""Warranty plans and registered devices in the back office, scoped by memberships."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice import display
from marketplace.backoffice.scoping import ALL, CHANGE, VIEW, ScopedAdmin
from marketplace.channels.money import has_valid_precision
from marketplace.localisation.admin import translation_inline
from marketplace.memberships import roles
from marketplace.stores.admin import ScopedTranslationInline

from . import devices, repair_rules, repairs
from .apps import SOLD_A_WARRANTY
from .models import (
    Device,
    RepairBooking,
    ServiceCentre,
    ServiceCentreTranslation,
    WarrantyPlan,
    WarrantyPlanTranslation,
    quote_precision_message,
)


@admin.register(WarrantyPlan)
class WarrantyPlanAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = {roles.BRAND: "brand", roles.CHANNEL: "channel"}
    role_permissions = {roles.BRAND: ALL, roles.CHANNEL: ALL}
    list_display = ("name", "channel", "brand", "duration", "price", "is_active", "position")
    list_filter = ("channel", "brand", "is_active")
    list_select_related = ("channel", "brand")
    search_fields = ("name",)
    shared_choices = ("products", "categories")
    filter_horizontal = ("products", "categories")
    inlines = [translation_inline(WarrantyPlanTranslation, ("name", "terms"), base=ScopedTranslationInline)]

    @admin.display(description=_("duration"), ordering="months")
    def duration(self, plan):
        return plan.duration

    @admin.display(description=_("price"), ordering="amount")
    def price(self, plan):
        if plan.pricing == WarrantyPlan.PERCENTAGE:
            return f"{plan.amount.normalize():f} %"
        return display.money(plan.amount, plan.channel)


class DeviceForm(forms.ModelForm):
    """A seller registers a device for the shopper at the counter: the service's checks, as errors."""

    imei = forms.CharField(label=_("IMEI"), max_length=32, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=40, required=False)

    class Meta:
        model = Device
        fields = ("warranty", "imei", "serial")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            ident = devices.identifier(imei=cleaned.get("imei") or "", serial=cleaned.get("serial") or "")
        except devices.RegistrationError as exc:
            raise forms.ValidationError(exc.message) from None
        problem = devices.registration_problem(
            warranty=cleaned.get("warranty"), user=self.request_user, ident=ident
        )
        if problem is not None:
            raise forms.ValidationError(problem)
        return cleaned


@admin.register(Device)
class DeviceAdmin(ScopedAdmin, admin.ModelAdmin):
    """Registered devices: the seller of the product line registers for the shopper; the rest read."""

    scope = {
        roles.SELLER: "warranty__product_line__partner",
        roles.CHANNEL: "warranty__line__order__channel",
        roles.BRAND: "warranty__plan__brand",
    }
    role_permissions = {roles.SELLER: frozenset({"view", "add"}), roles.CHANNEL: VIEW, roles.BRAND: VIEW}
    add_needs_fact = SOLD_A_WARRANTY
    form = DeviceForm
    list_display = ("__str__", "order_number", "unit", "starts_on", "ends_on", "date_created")
    list_select_related = ("warranty__line__order",)
    search_fields = ("imei", "serial", "warranty__line__order__number")
    readonly_fields = ("unit", "delivered_on", "starts_on", "ends_on")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a registration is a record: never edited
            return ("warranty", "imei", "serial", *self.readonly_fields)
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("warranty", "imei", "serial")
        return ("warranty", "imei", "serial", *self.readonly_fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def choices_for_warranty(self, request, queryset):
        # Warranties of the seller's own product lines, delivered or not (the check says why not).
        from marketplace.memberships.selectors import request_scope

        return queryset.filter(product_line__partner__in=request_scope(request).ids(roles.SELLER))

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            device = devices.device_register(
                warranty_id=obj.warranty_id, user=request.user,
                imei=form.cleaned_data.get("imei") or "", serial=form.cleaned_data.get("serial") or "",
            )
        except devices.RegistrationError as exc:  # lost a race since the form's check
            raise PermissionDenied(exc.message) from None
        obj.pk = device.pk
        obj.__dict__.update({f.attname: getattr(device, f.attname) for f in Device._meta.concrete_fields})

    @admin.display(description=_("order"), ordering="warranty__line__order__number")
    def order_number(self, device):
        return device.warranty.line.order.number


@admin.register(ServiceCentre)
class ServiceCentreAdmin(ScopedAdmin, admin.ModelAdmin):
    """Authorised service centres: a country operator runs its channels'; a brand sees those serving it."""

    scope = {roles.CHANNEL: "channel", roles.BRAND: "brands"}
    role_permissions = {roles.CHANNEL: ALL, roles.BRAND: VIEW}
    list_display = ("name", "channel", "city", "phone", "hours", "is_active")
    list_filter = ("channel", "city", "is_active")
    list_select_related = ("channel",)
    search_fields = ("name", "city", "address")
    shared_choices = ("brands",)
    filter_horizontal = ("brands",)
    inlines = [translation_inline(ServiceCentreTranslation, ("name", "hours", "services"),
                                  base=ScopedTranslationInline)]


class RepairBookingForm(forms.ModelForm):
    """The centre moves the repair by the rules, and quotes it out of cover."""

    class Meta:
        model = RepairBooking
        fields = ("status", "quote")

    def clean_quote(self):
        quote = self.cleaned_data.get("quote")
        currency = self.instance.currency
        if quote is not None and not has_valid_precision(quote, currency):
            raise forms.ValidationError(quote_precision_message(currency))
        return quote

    def clean(self):
        cleaned = super().clean()
        booking = self.instance
        status, quote = cleaned.get("status"), cleaned.get("quote")
        try:
            if status and status != booking.status:
                repair_rules.move(booking.status, status, in_cover=booking.in_cover,
                                  quote_accepted=booking.quote_accepted)
            if quote is not None and quote != booking.quote and not repair_rules.may_quote(
                status=status or booking.status, in_cover=booking.in_cover
            ):
                raise repair_rules.MoveRefused(_("A quote is given out of cover, once the device is received."))
        except repair_rules.MoveRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return cleaned


@admin.register(RepairBooking)
class RepairBookingAdmin(ScopedAdmin, admin.ModelAdmin):
    """A centre's bookings: its staff accept them and move them along; the country's operators read."""

    scope = {roles.SERVICE_CENTRE: "centre", roles.CHANNEL: "centre__channel"}
    role_permissions = {roles.SERVICE_CENTRE: CHANGE, roles.CHANNEL: VIEW}
    form = RepairBookingForm
    list_display = ("reference", "centre", "status", "preferred_day", "in_cover", "payer", "quote", "date_created")
    list_filter = ("status", "in_cover", "centre")
    list_select_related = ("centre",)
    search_fields = ("reference", "device__imei", "device__serial")
    readonly_fields = ("reference", "centre", "device", "fault", "preferred_day", "in_cover", "payer",
                       "quote_accepted", "date_created")

    def get_fields(self, request, obj=None):
        return (*self.readonly_fields, "status", "quote")

    def has_add_permission(self, request):
        return False  # shoppers book, on their warranties page

    def save_model(self, request, obj, form, change):
        # Through the services (locked, by the rules, the shopper told after commit), not a plain save.
        if "quote" in form.changed_data and obj.quote is not None:
            repairs.quote_set(booking_id=obj.pk, amount=obj.quote)
        if "status" in form.changed_data:
            repairs.booking_move(booking_id=obj.pk, status=obj.status)

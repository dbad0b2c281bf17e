"""The shopper's warranties and devices, and the public cover check: thin views."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from marketplace.channels.money import InvalidAmount, parse_amount
from marketplace.throttling.ratelimit import ratelimited

from .devices import RegistrationError, cover_lookup, delivered_on, device_register
from .models import OrderWarranty, RepairBooking, ServiceCentre
from .repairs import QuoteChanged, RepairError, booking_create, quote_accept


class DeviceForm(forms.Form):
    imei = forms.CharField(label=gettext_lazy("IMEI"), max_length=32, required=False,
                           help_text=gettext_lazy("15 digits: dial *#06# on the phone, or read the box."))
    serial = forms.CharField(label=gettext_lazy("or serial number"), max_length=40, required=False)


class BookingForm(forms.Form):
    centre = forms.ModelChoiceField(label=gettext_lazy("Service centre"), queryset=ServiceCentre.objects.none())
    fault = forms.CharField(label=gettext_lazy("What is wrong with it?"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    preferred_day = forms.DateField(label=gettext_lazy("Preferred day"),
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = ServiceCentre.objects.filter(channel=channel, is_active=True)


class QuoteAcceptForm(forms.Form):
    """The quote as the page showed it: accepting binds to that amount and version."""

    amount = forms.CharField(max_length=32)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data["amount"])
        except InvalidAmount:
            raise forms.ValidationError(_("Enter the price as a plain number.")) from None


class CoverCheckForm(forms.Form):
    imei = forms.CharField(label=gettext_lazy("IMEI"), max_length=32)
    number = forms.CharField(label=gettext_lazy("Order number"), max_length=32)


def shopper_warranties(request):
    warranties = (
        OrderWarranty.objects.filter(line__order__user=request.user, line__order__channel=request.channel)
        .select_related("line__order__channel", "product_line", "plan")
        .prefetch_related("devices__bookings__centre")
        .order_by("-line__order__date_placed", "pk")
    )
    rows = []
    for warranty in warranties:
        devices = list(warranty.devices.all())
        for device in devices:
            # One form per device, each with its own element ids.
            device.booking_form = BookingForm(channel=request.channel, auto_id=f"book{device.pk}_%s")
        rows.append({
            "warranty": warranty, "devices": devices,
            "form": DeviceForm(auto_id=f"w{warranty.pk}_%s"),
            "delivered_on": delivered_on(warranty.line.order),
            "units_left": warranty.line.quantity - len(devices),
        })
    return rows


@method_decorator(login_required, name="dispatch")
class WarrantyListView(View):
    """Your warranties here: each device's cover and its end date; register the others."""

    def get(self, request):
        return self.render(request)

    def render(self, request, *, errors=None, status=200, warranty_id=None, booking_form=None):
        # (A refused form's errors are listed at the top; the forms below start afresh.)
        return TemplateResponse(request, "aftersales/warranties.html", {
            "rows": shopper_warranties(request), "errors": errors or [], "error_warranty_id": warranty_id,
        }, status=status)


@method_decorator(login_required, name="dispatch")
@method_decorator(ratelimited("warranty-register"), name="dispatch")
class DeviceRegisterView(WarrantyListView):
    http_method_names = ["post"]

    def post(self, request, warranty_id):
        if not OrderWarranty.objects.filter(pk=warranty_id, line__order__channel=request.channel).exists():
            raise Http404(_("This warranty is not one of yours."))
        form = DeviceForm(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.render(request, errors=errors, status=400, warranty_id=warranty_id)
        try:
            device_register(warranty_id=warranty_id, user=request.user, imei=form.cleaned_data["imei"],
                            serial=form.cleaned_data["serial"])
        except RegistrationError as exc:
            return self.render(request, errors=[exc.message], status=400, warranty_id=warranty_id)
        return redirect("aftersales:warranties")


@method_decorator(ratelimited("warranty-check"), name="dispatch")
class CoverCheckView(FormView):
    """Anyone with the IMEI and the order number sees whether a device is covered, and until when."""

    template_name = "aftersales/cover_check.html"
    form_class = CoverCheckForm

    def form_valid(self, form):
        try:
            cover = cover_lookup(channel=self.request.channel, imei=form.cleaned_data["imei"],
                                 order_number=form.cleaned_data["number"], today=self.request.channel.today())
        except RegistrationError as exc:
            form.add_error("imei", exc.message)
            return self.form_invalid(form)
        if cover is None:
            form.add_error(None, _("No device bought here matches that IMEI and order number."))
            response = self.form_invalid(form)
            response.status_code = 404
            return response
        return self.render_to_response(self.get_context_data(form=form, cover=cover))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = max(response.status_code, 400)
        return response


@method_decorator(login_required, name="dispatch")
@method_decorator(ratelimited("warranty-register"), name="dispatch")
class RepairBookView(WarrantyListView):
    """Book a repair or warranty claim for a registered device at one of the channel's centres."""

    http_method_names = ["post"]

    def post(self, request, device_id):
        form = BookingForm(request.POST, channel=request.channel)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.render(request, errors=errors, status=400, booking_form=form)
        try:
            booking_create(
                user=request.user, device_id=device_id, centre_id=form.cleaned_data["centre"].pk,
                fault=form.cleaned_data["fault"], preferred_day=form.cleaned_data["preferred_day"],
                today=request.channel.today(), language=request.LANGUAGE_CODE,
            )
        except RepairError as exc:
            return self.render(request, errors=[exc.message], status=400, booking_form=form)
        return redirect("aftersales:warranties")


@method_decorator(login_required, name="dispatch")
class QuoteAcceptView(WarrantyListView):
    http_method_names = ["post"]

    def post(self, request, booking_id):
        if not RepairBooking.objects.filter(pk=booking_id, centre__channel=request.channel).exists():
            raise Http404(_("This repair is not one of yours."))
        form = QuoteAcceptForm(request.POST)
        if not form.is_valid():
            return self.render(request, errors=[_("This quote could not be read. Please accept it from "
                                                  "your warranties page.")], status=400)
        try:
            quote_accept(booking_id=booking_id, user=request.user, amount=form.cleaned_data["amount"],
                         version=form.cleaned_data["version"])
        except QuoteChanged as exc:
            return self.render(request, errors=[exc.message], status=409)
        except RepairError as exc:
            return self.render(request, errors=[exc.message], status=400)
        return redirect("aftersales:warranties")

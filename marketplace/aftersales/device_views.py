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

from marketplace.throttling.ratelimit import ratelimited

from .devices import RegistrationError, cover_lookup, delivered_on, device_register
from .models import OrderWarranty


class DeviceForm(forms.Form):
    imei = forms.CharField(label=gettext_lazy("IMEI"), max_length=32, required=False,
                           help_text=gettext_lazy("15 digits: dial *#06# on the phone, or read the box."))
    serial = forms.CharField(label=gettext_lazy("or serial number"), max_length=40, required=False)


class CoverCheckForm(forms.Form):
    imei = forms.CharField(label=gettext_lazy("IMEI"), max_length=32)
    number = forms.CharField(label=gettext_lazy("Order number"), max_length=32)


def shopper_warranties(request):
    warranties = (
        OrderWarranty.objects.filter(line__order__user=request.user, line__order__channel=request.channel)
        .select_related("line__order__channel", "product_line", "plan").prefetch_related("devices")
        .order_by("-line__order__date_placed", "pk")
    )
    rows = []
    for warranty in warranties:
        devices = list(warranty.devices.all())
        rows.append({
            "warranty": warranty, "devices": devices,
            "delivered_on": delivered_on(warranty.line.order),
            "units_left": warranty.line.quantity - len(devices),
        })
    return rows


@method_decorator(login_required, name="dispatch")
class WarrantyListView(View):
    """Your warranties here: each device's cover and its end date; register the others."""

    def get(self, request):
        return self.render(request)

    def render(self, request, *, errors=None, status=200, warranty_id=None):
        return TemplateResponse(request, "aftersales/warranties.html", {
            "rows": shopper_warranties(request), "form": DeviceForm(), "errors": errors or [],
            "error_warranty_id": warranty_id,
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

"""Guests register their devices: the order's number with its e-mail or phone proves the order is theirs.

The proof is kept in the session (as Oscar's order status page keeps a
guest's e-mail), for that order only; every step is rate-limited, so guessing
numbers and e-mails is useless.
"""

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from marketplace.throttling.ratelimit import ratelimited

from .device_views import DeviceForm
from .devices import RegistrationError, delivered_on, device_register, guest_order_proven
from .models import OrderWarranty

SESSION_KEY = "warranty_guest_orders"
KEPT = 5  # the orders a session keeps proofs for


class GuestProofForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Order number"), max_length=32)
    email = forms.EmailField(label=gettext_lazy("E-mail address used for the order"), required=False)
    phone = forms.CharField(label=gettext_lazy("or phone number used for the order"), max_length=32,
                            required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(_("Give the e-mail address or the phone number the order was placed with."))
        return cleaned


def proven_order_id(request, number: str) -> int:
    for order_id, order_number in request.session.get(SESSION_KEY, []):
        if order_number == number:
            return order_id
    raise Http404(_("Prove first that this order is yours: its number with its e-mail or phone."))


@method_decorator(ratelimited("warranty-check"), name="dispatch")
class GuestProofView(View):
    template_name = "aftersales/guest_proof.html"

    def get(self, request):
        return TemplateResponse(request, self.template_name, {"form": GuestProofForm()})

    def post(self, request):
        form = GuestProofForm(request.POST)
        order, valid = None, form.is_valid()
        if valid:
            data = form.cleaned_data
            order = guest_order_proven(channel=request.channel, number=data["number"], email=data["email"],
                                       phone=data["phone"])
            if order is None:
                form.add_error(None, _("No order here matches that number with that e-mail or phone."))
        if order is None:
            return TemplateResponse(request, self.template_name, {"form": form},
                                    status=404 if valid else 400)
        proofs = [p for p in request.session.get(SESSION_KEY, []) if p[0] != order.pk]
        request.session[SESSION_KEY] = [*proofs, [order.pk, order.number]][-KEPT:]
        return redirect("aftersales:guest-warranties", number=order.number)


@method_decorator(ratelimited("warranty-register"), name="dispatch")
class GuestWarrantiesView(View):
    """The order's warranties for its guest: each device's cover, and a form for the others."""

    template_name = "aftersales/guest_warranties.html"

    def rows(self, order_id):
        warranties = (OrderWarranty.objects.filter(line__order_id=order_id)
                      .select_related("line__order__channel").prefetch_related("devices").order_by("pk"))
        return [{
            "warranty": warranty, "devices": list(warranty.devices.all()),
            "form": DeviceForm(auto_id=f"w{warranty.pk}_%s"),
            "delivered_on": delivered_on(warranty.line.order),
            "units_left": warranty.line.quantity - len(warranty.devices.all()),
        } for warranty in warranties]

    def render(self, request, number, order_id, errors=(), status=200):
        return TemplateResponse(request, self.template_name, {
            "number": number, "rows": self.rows(order_id), "errors": list(errors)}, status=status)

    def get(self, request, number):
        return self.render(request, number, proven_order_id(request, number))

    def post(self, request, number):
        order_id = proven_order_id(request, number)
        try:
            warranty_id = int(request.POST.get("warranty", ""))
        except ValueError:
            warranty_id = None
        if warranty_id is None or not 0 < warranty_id < 2**63:
            return self.render(request, number, order_id, [_("This warranty is not one of yours.")], status=400)
        form = DeviceForm(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.render(request, number, order_id, errors, status=400)
        try:
            device_register(warranty_id=warranty_id, user=request.user, imei=form.cleaned_data["imei"],
                            serial=form.cleaned_data["serial"], proven_order_id=order_id)
        except RegistrationError as exc:
            return self.render(request, number, order_id, [exc.message], status=400)
        return redirect("aftersales:guest-warranties", number=number)

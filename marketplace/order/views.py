"""Guest order lookup: an order number and the e-mail it was placed with."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from marketplace.throttling.ratelimit import ratelimited

from .invoices import invoice
from .models import Order


class OrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32)
    email = forms.EmailField(label=_("E-mail address"))


# Every attempt counts, found or not: the limit is what makes guessing numbers and
# e-mails useless, whatever the numbers look like.
@method_decorator(ratelimited("order-lookup"), name="dispatch")
class OrderLookupView(FormView):
    template_name = "oscar/order/lookup.html"
    form_class = OrderLookupForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        order = (
            Order.objects.filter(number=form.cleaned_data["number"].strip().upper(), channel=self.request.channel)
            .filter(Q(guest_email__iexact=email) | Q(user__email__iexact=email))
            .first()
        )
        if order is None:
            # Same answer whether the number or the e-mail is wrong: no probing.
            form.add_error(None, _("No order here matches that number and e-mail address."))
            response = self.form_invalid(form)
            response.status_code = 404
            return response
        # Oscar's order status page trusts the e-mail once confirmed in the session.
        self.request.session["anon_order_email"] = order.email
        return redirect(
            reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = max(response.status_code, 400)
        return response


class InvoiceView(TemplateView):
    """The order's invoice, printable: for whoever holds its address (the shopper's e-mail and pages)."""

    template_name = "order/invoice.html"

    def get_context_data(self, **kwargs):
        order = Order.objects.filter(number=kwargs["number"], channel=self.request.channel).first()
        if order is None or not order.check_verification_hash(kwargs["key"]):
            raise Http404(_("No order here matches that address."))
        return {**super().get_context_data(**kwargs), **invoice(order)}

"""Storefront views for warranty plans: thin, they call the services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.catalogue.models import Product

from marketplace.basket.forms import AddToBasketForm
from marketplace.localisation.catalogue import product_title

from .forms import PlanChoiceForm
from .services import WarrantyError, basket_add_with_plan, basket_line_plan_set


def _rejected(request, product, errors):
    return TemplateResponse(
        request, "aftersales/plan_rejected.html", {"product": product, "errors": errors}, status=400
    )


def _form_errors(*forms):
    return [str(error) for form in forms for field_errors in form.errors.values() for error in field_errors]


class ProductWithPlanAddView(View):
    """Add a product and the warranty plan chosen on its page, together."""

    http_method_names = ["post"]

    def post(self, request, pk):
        product = get_object_or_404(Product.objects.select_related("product_class", "parent"), pk=pk)
        basket = request.basket
        form = AddToBasketForm(basket, product, request.POST)
        choice = PlanChoiceForm(request.POST, channel=request.channel)
        if not (form.is_valid() and choice.is_valid()):
            return _rejected(request, product, _form_errors(form, choice))
        try:
            basket_add_with_plan(
                basket=basket, product=form.product, quantity=form.cleaned_data["quantity"],
                options=form.cleaned_options(), plan=choice.cleaned_data["plan"],
                expected_incl_tax=choice.cleaned_data["price"],
            )
        except WarrantyError as exc:
            return _rejected(request, product, [str(exc.message)])
        messages.success(request, _("“%(title)s” and its warranty were added to your basket.")
                         % {"title": product_title(form.product)})
        return redirect("basket:summary")


class LinePlanView(View):
    """Add (or change) the warranty of a product line of the shopper's basket."""

    http_method_names = ["post"]

    def post(self, request, line_pk):
        basket = request.basket
        if basket.id is None:
            raise Http404(_("Your basket is empty."))
        line = basket.lines.select_related("product", "stockrecord").filter(pk=line_pk).first()
        if line is None:
            raise Http404(_("This line is not in your basket."))
        choice = PlanChoiceForm(request.POST, channel=request.channel)
        if not choice.is_valid():
            return _rejected(request, line.product, _form_errors(choice))
        try:
            basket_line_plan_set(basket=basket, product_line=line, plan=choice.cleaned_data["plan"],
                                 expected_incl_tax=choice.cleaned_data["price"])
        except WarrantyError as exc:
            return _rejected(request, line.product, [str(exc.message)])
        messages.success(request, _("The warranty was added to your basket."))
        return redirect("basket:summary")

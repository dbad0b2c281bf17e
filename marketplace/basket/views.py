"""Basket views: Oscar's, except that a rejected add-to-basket is a 400 that says why (or
what a ``hooks`` check answers, e.g. a 409 while a partner shop is kept), and the basket
page has no voucher form (vouchers are off: ``basket.offers``)."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from oscar.apps.basket.views import *  # noqa: F401,F403  (Oscar's other basket views)
from oscar.apps.basket.views import BasketAddView as OscarBasketAddView
from oscar.apps.basket.views import BasketView as OscarBasketView


class BasketView(OscarBasketView):
    def remove_deleted_forms(self, formset):
        # Oscar copies every management field back from the POST, but Django's
        # MIN_NUM_FORMS and MAX_NUM_FORMS are optional: a POST without them (or
        # whose TOTAL_FORMS counts lines that are not there, which Oscar treats
        # as deleted) was a KeyError. Fill them in from the formset's own limits.
        management = formset.management_form
        data = formset.data.copy()
        for name, value in (("MIN_NUM_FORMS", formset.min_num), ("MAX_NUM_FORMS", formset.max_num)):
            key = management.add_prefix(name)
            if key not in data:
                data[key] = str(value)
        formset.data = data
        return super().remove_deleted_forms(formset)

    def get_basket_voucher_form(self):
        # Oscar's template hides the voucher section when there is no form.
        return None


class BasketAddView(OscarBasketAddView):
    def post(self, request, *args, **kwargs):
        # The form, the strategy (twice: the form's check, then the basket's) and the
        # new line read the product's class and its listings with their sellers: loaded
        # with the product, not a query each time (profiled: five of them).
        from oscar.apps.catalogue.models import Option

        from marketplace.partner.models import StockRecord

        options = Option.objects.filter(
            Q(productclass=OuterRef("product_class")) | Q(productclass=OuterRef("parent__product_class"))
        )
        self.product = get_object_or_404(
            self.product_model.objects.select_related("product_class", "parent__product_class")
            # Oscar's ``has_options`` reads these two (as its listings annotate them).
            .annotate(
                has_product_class_options=Exists(options),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            )
            .prefetch_related(Prefetch("stockrecords", StockRecord.objects.select_related("partner"))),
            pk=kwargs["pk"],
        )
        return super(OscarBasketAddView, self).post(request, *args, **kwargs)

    def form_valid(self, form):
        # Other packages' checks first (``hooks``): a partner shop kept for the visit
        # refuses another seller's item with a 409 that says how to leave the shop.
        from .hooks import run_add_checks

        basket = self.request.basket
        stockrecord = basket.strategy.fetch_for_product(form.product).stockrecord
        refusal = run_add_checks(self.request, basket=basket, product=form.product,
                                 stockrecord=stockrecord)
        if refusal is not None:
            return TemplateResponse(
                self.request, refusal.template, {"product": form.product, **refusal.context},
                status=refusal.status,
            )
        return super().form_valid(form)

    def form_invalid(self, form):
        # Oscar redirects back with a flash message; a tampered or impossible
        # quantity deserves a 4xx that nothing was added, with the reason.
        return TemplateResponse(
            self.request,
            "oscar/basket/add_rejected.html",
            {"product": self.product, "errors": form.errors},
            status=400,
        )

"""
The one-page checkout: a basket to a placed order with one page and one POST.

On a phone on a mobile network every round trip costs seconds, and Oscar's step
checkout takes seven after the basket (e-mail, address, delivery, payment, preview,
place order, thank you). This page asks what the order needs at once: a guest's
e-mail, the delivery address (its phone valid for the channel's country), a delivery
option, each shown with the total to pay with it, and a payment option. A signed-in
shopper's address in the channel's country is filled in.

The POST places the order through ``order.services.order_place`` as the step
checkout does: the same re-checked prices and allocation, the same checkout key per
basket per session (a repeated or concurrent submission gets the one order), at
exactly the total the page showed beside the chosen delivery option (another total
is a 409 and the page again, with the new totals). An online payment goes on to the
provider (``payments.services.payment_redirect_url``), Pay on Delivery to the
confirmation.

``OnePage`` is the page and its POST for a basket, shared with the flash sales'
short checkout (``flashsales.views.short_checkout``, which first finds the claim);
``OnePageView`` is the checkout's own page for the channel's basket
(``checkout:one-page``), behind Oscar's basket checks.
"""

from decimal import Decimal

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.address.models import UserAddress
from oscar.apps.checkout.utils import CheckoutSessionData
from oscar.apps.order.models import ShippingAddress

from marketplace.channels.money import InvalidAmount, parse_amount
from marketplace.order.hooks import filter_payment_options
from marketplace.order.models import Order
from marketplace.order.services import CheckoutError, order_place, order_totals
from marketplace.payments.selectors import payment_options_for
from marketplace.payments.services import payment_redirect_url
from marketplace.shipping.repository import Repository

from .forms import OnePageCheckoutForm
from .guards import guest_refusal
from .session import CheckoutSessionMixin
from .views import _checkout_key

FORM_EXPIRED = _("This order form has expired. Please check your order and confirm again.")
TOTAL_MALFORMED = _("Your order total is missing or malformed. Please confirm again.")
NO_DELIVERY = _("No delivery option is available for this address.")
# What the page's address fields may carry for the city before the form checks them.
_CITY_LENGTH = 255


def delivery_methods(request, basket, city: str) -> list:
    """The delivery methods for an address in ``city`` (express delivery goes to some cities)."""
    address = ShippingAddress(line4=city[:_CITY_LENGTH])
    return Repository().get_shipping_methods(basket, shipping_addr=address, user=request.user, request=request)


def payment_options(channel, *, method, total: Decimal) -> list:
    """The channel's payment options for this total and delivery method (caps, partners' limits)."""
    return filter_payment_options(payment_options_for(channel, total), shipping_method=method, total=total)


def default_address(request) -> dict:
    """A signed-in shopper's default delivery address in this channel's country, as form values."""
    if not request.user.is_authenticated:
        return {}
    saved = (UserAddress._default_manager.filter(
        user=request.user, country__iso_3166_1_a2=str(request.channel.country).upper())
        .order_by("-is_default_for_shipping", "-pk").first())
    if saved is None:
        return {}
    names = ("first_name", "last_name", "line1", "line2", "line4", "state", "postcode", "notes")
    return {**{name: getattr(saved, name) for name in names},
            "country": saved.country_id, "phone_number": saved.phone_number}


def after_placing(order, *, pays_on_delivery: bool = False):
    """Where a placed order goes: its payment with the provider, else the confirmation."""
    if pays_on_delivery:
        # Placed just now, to be paid on delivery: no payment to start or look up.
        return redirect("checkout:thank-you")
    return redirect(payment_redirect_url(order) or reverse("checkout:thank-you"))


def placed_here(request) -> Order | None:
    """The order this session placed with the POSTed checkout key (a repeated submission)."""
    placed_id = request.session.get("checkout_order_id")
    if placed_id is None:
        return None  # no order yet in this session: nothing to look up
    return Order.objects.filter(
        checkout_key=str(request.POST.get("checkout_key", ""))[:64], channel=request.channel, pk=placed_id,
    ).first()


class OnePage:
    """The one checkout page of ``basket``: ``get`` shows it, ``post`` places the order.

    ``context`` adds to the page's template context (the flash sale's claim and time left);
    ``form_ready(form)`` may add to each form made (the flash sale's code field);
    ``before_placing(page, form)``, once the form and its total are valid, may answer
    instead of placing (the flash sale's e-mail code), or return None to go on;
    ``place(page, form, **order)``, once every check passed, may take the order its own
    way and answer (the flash sale's accepted orders), or return None for ``order_place``.
    """

    def __init__(self, request, basket, *, template_name: str, context: dict | None = None,
                 before_placing=None, form_ready=None, place=None):
        self.request, self.basket = request, basket
        self.before_placing, self.form_ready, self.place = before_placing, form_ready, place
        self.channel = request.channel
        self.guest = not request.user.is_authenticated
        self.template_name = template_name
        self.context = context or {}

    def form(self, *args, methods, options, **kwargs) -> OnePageCheckoutForm:
        form = OnePageCheckoutForm(*args, channel=self.channel, methods=methods, options=options,
                                   guest=self.guest, **kwargs)
        if self.form_ready is not None:
            self.form_ready(form)
        return form

    def totals(self, methods) -> list:
        """(method, charge, total) of each delivery method: what ``order_place`` charges with it."""
        return [(method, *order_totals(basket=self.basket, shipping_method=method)) for method in methods]

    def render(self, form, status: int = 200, *, totals: list | None = None):
        """The page; ``totals``: the form's methods' (``totals``), read now when not given."""
        basket = self.basket
        if totals is None:
            totals = self.totals(form.methods.values())
        # Each delivery choice with its method's charge and total, matched once here
        # (the template looped over every total for every choice).
        by_code = {method.code: (charge, total) for method, charge, total in totals}
        delivery = [(choice, *by_code.get(choice.data["value"], (None, None))) for choice in form["method_code"]]
        response = render(self.request, self.template_name, {
            **self.context, "form": form, "basket": basket, "totals": totals, "delivery": delivery,
            "checkout_key": _checkout_key(self.request, basket), "action": self.request.path,
        }, status=status)
        add_never_cache_headers(response)
        return response

    def get(self):
        initial = default_address(self.request)
        methods = delivery_methods(self.request, self.basket, initial.get("line4", ""))
        totals = self.totals(methods)
        options = []
        if methods:  # the options for the first method's total (the POST checks the chosen one's)
            options = payment_options(self.channel, method=methods[0], total=totals[0][2].incl_tax)
        form = self.form(initial=initial, methods=methods, options=options)
        # The form's methods are ``methods`` (one per code): their totals, read once.
        return self.render(form, totals=totals if len(form.methods) == len(methods) else None)

    def ready(self) -> dict | None:
        """What a signed-in shopper whose saved data completes the order confirms with one POST.

        The form's fields as the page would fill them in (the saved address, the first delivery
        method and payment option, the checkout key and each method's total), what they say,
        and each choice with its total: what an app shows in a confirmation sheet instead of
        the page. None when the page has something to ask (no saved address in the country,
        no method or option for it, or a saved address the form refuses).
        """
        initial = default_address(self.request)
        if not initial:
            return None
        methods = delivery_methods(self.request, self.basket, initial.get("line4", ""))
        if not methods:
            return None
        totals = self.totals(methods)
        options = payment_options(self.channel, method=methods[0], total=totals[0][2].incl_tax)
        if not options:
            return None
        fields = {name: str(value) for name, value in initial.items() if value not in (None, "")}
        fields.update({"method_code": methods[0].code, "option": str(options[0].pk),
                       "checkout_key": _checkout_key(self.request, self.basket)})
        fields.update({f"expected_total-{method.code}": str(total.incl_tax) for method, _charge, total in totals})
        form = self.form(fields, methods=methods, options=options)
        if not form.is_valid():
            return None
        return {"fields": fields, "address": form.instance, "totals": totals, "options": options}

    def post(self):
        request, basket, channel = self.request, self.basket, self.channel
        city = request.POST.get("line4", "")
        methods = delivery_methods(request, basket, city if isinstance(city, str) else "")
        # Every option of the channel to choose from; the chosen one is checked below
        # against the chosen method's total.
        form = self.form(request.POST, methods=methods, options=payment_options_for(channel, Decimal(0)))
        if not methods:
            form.add_error(None, NO_DELIVERY)
        if not form.is_valid():
            return self.render(form, status=400)
        method, option = form.method, form.cleaned_data["option"]
        total = order_totals(basket=basket, shipping_method=method)[1].incl_tax
        if option not in payment_options(channel, method=method, total=total):
            form.add_error("option", form.fields["option"].error_messages["invalid_choice"])
            return self.render(form, status=400)
        key = request.POST.get("checkout_key", "")
        if key != _checkout_key(request, basket):
            form.add_error(None, FORM_EXPIRED)
            return self.render(form, status=400)
        try:
            expected_total = parse_amount(request.POST.get(f"expected_total-{method.code}", ""))
        except InvalidAmount:
            form.add_error(None, TOTAL_MALFORMED)
            return self.render(form, status=400)
        if self.before_placing is not None and (answer := self.before_placing(self, form)) is not None:
            return answer
        if self.guest and (refused := guest_refusal(request=request, basket=basket,
                                                    email=form.cleaned_data.get("email", ""))):
            # What other packages refuse a guest (a flash-sale claim under an unverified e-mail).
            form.add_error(None, refused)
            return self.render(form, status=400)
        if self.place is not None and (answer := self.place(
            self, form, shipping_method=method, payment_option=option, checkout_key=key,
            expected_total=expected_total,
        )) is not None:
            return answer
        try:
            placed = order_place(
                channel=channel, basket=basket, user=request.user,
                guest_email=form.cleaned_data.get("email", "") if self.guest else "",
                shipping_address=form.instance, shipping_method=method, payment_option=option,
                checkout_key=key, expected_total=expected_total, request=request,
            )
        except CheckoutError as exc:
            # Nothing placed (a changed price or total, a line sold out): the page again,
            # with what holds now.
            form.add_error(None, exc.message)
            return self.render(form, status=409)
        request.session["checkout_order_id"] = placed.order.pk  # the confirmation reads it
        if placed.created:
            CheckoutSessionData(request).flush()
        return after_placing(placed.order, pays_on_delivery=placed.created and option.is_pay_on_delivery)


class OnePageView(CheckoutSessionMixin, generic.View):
    """The channel's basket to an order on one page (``checkout:one-page``).

    Oscar's basket checks first (an empty basket, a line no longer available or another
    store's exclusive send the shopper to the basket with the reason), as the step
    checkout's pages do.
    """

    template_name = "oscar/checkout/one_page.html"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]
    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and (order := placed_here(request)) is not None:
            # A replayed or double-clicked submission finds its order here, before the
            # basket checks send it away for the basket being empty now.
            return after_placing(order)
        return super().dispatch(request, *args, **kwargs)

    def page(self):
        return OnePage(self.request, self.request.basket, template_name=self.template_name)

    def get(self, request, *args, **kwargs):
        return self.page().get()

    def post(self, request, *args, **kwargs):
        return self.page().post()

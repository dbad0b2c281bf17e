"""
Oscar's checkout with the channel's addresses, delivery, payment and one order per attempt.

The steps stay Oscar's (gateway, shipping address, delivery, payment method,
preview, thank you). Placing the order goes through ``order_place``, which
re-checks prices, allocates stock without overselling and returns the same
order for the same checkout key however often the form is submitted.
"""

import re
import secrets

from django import http
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.address.models import UserAddress
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition

from marketplace.channels.money import InvalidAmount, parse_amount
from marketplace.order.hooks import filter_payment_options
from marketplace.order.models import Line, Order
from marketplace.order.services import CheckoutError, order_place, order_totals
from marketplace.payments.selectors import payment_option_in, payment_options_for
from marketplace.payments.services import payment_redirect_url
from marketplace.throttling.ratelimit import throttle

from .forms import PaymentMethodForm
from .guards import guest_refusal

SESSION_KEYS = "checkout_keys"
# A primary key as a form posts it: ASCII digits that fit a bigint. ``str.isdigit()``
# also accepts "²" and "٣", which ``int()`` then refuses or reads as another number.
_PK = re.compile(r"[0-9]{1,18}", re.ASCII)


def _checkout_key(request, basket) -> str:
    """One key per basket per session: two tabs or a replayed POST share it."""
    keys = request.session.setdefault(SESSION_KEYS, {})
    key = keys.get(str(basket.id))
    if key is None:
        key = keys[str(basket.id)] = f"{basket.id}-{secrets.token_urlsafe(16)}"
        request.session.modified = True
    return key


class OncePerRequest:
    """What Oscar's checkout asks for again and again in one request, answered once.

    Its preconditions, skip conditions, submission and totals each rebuild the shipping
    address from the session and the delivery methods from the channel's options (six
    times on the preview, profiled), and every step re-checks every line's listing and
    the exclusive rules in force. Kept on the view, which lives for one request, keyed
    by what they read from the session, so a step that changes the session still reads
    its own change.

    The basket check is for pages: a data step's POST only stores what was chosen and
    redirects to the next page, which checks the basket before it shows anything (and
    placing the order re-checks everything under the listings' locks).
    """

    # A POST that stores a choice and redirects: the next page checks the basket.
    posts_choices_only = True

    def check_basket_is_valid(self, request):
        if request.method == "POST" and self.posts_choices_only:
            return
        super().check_basket_is_valid(request)

    def _memo(self, name, key, compute):
        memo = self.__dict__.setdefault("_once_per_request", {})
        if (name, key) not in memo:
            memo[name, key] = compute()
        return memo[name, key]

    def get_shipping_address(self, basket):
        session = self.checkout_session
        key = (basket.pk, repr(session.new_shipping_address_fields()), session.shipping_user_address_id())
        return self._memo("address", key, lambda: super(OncePerRequest, self).get_shipping_address(basket))

    def get_shipping_method(self, basket, shipping_address=None, **kwargs):
        if kwargs:
            return super().get_shipping_method(basket, shipping_address, **kwargs)
        key = (basket.pk, self.checkout_session.shipping_method_code(basket), id(shipping_address))
        return self._memo(
            "method", key,
            lambda: super(OncePerRequest, self).get_shipping_method(basket, shipping_address),
        )


class IndexView(OncePerRequest, oscar_views.IndexView):
    """
    The gateway: guest, new account, or a returning customer's password.

    Oscar's form authenticates without the request, which would leave the
    password past the sign-in lockout (it counts per request); it gets the
    request, and a password tried here counts like one on the sign-in page.
    """

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def post(self, request, *args, **kwargs):
        if request.POST.get("options") == self.form_class.EXISTING:
            refused = throttle(request, "login")
            if refused is not None:
                return refused
        return super().post(request, *args, **kwargs)


class ChannelAddressMixin:
    def get_available_addresses(self):
        return self.request.user.addresses.filter(
            country__iso_3166_1_a2=str(self.request.channel.country).upper()
        ).order_by("-is_default_for_shipping")


class ShippingAddressView(OncePerRequest, ChannelAddressMixin, oscar_views.ShippingAddressView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["channel"] = self.request.channel
        return kwargs

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "address_id" in request.POST:
            # Only the shopper's own addresses in this country; anything else is a 404.
            raw_id = request.POST["address_id"]
            address = UserAddress._default_manager.filter(
                pk=int(raw_id) if _PK.fullmatch(raw_id) else None,
                user=request.user,
                country__iso_3166_1_a2=str(request.channel.country).upper(),
            ).first()
            if address is None:
                raise http.Http404(_("That address is not in your address book for this country."))
            if request.POST.get("action") != "ship_to":
                return http.HttpResponseBadRequest(_("Unknown action."))
            self.checkout_session.ship_to_user_address(address)
            return redirect(self.get_success_url())
        return super(oscar_views.ShippingAddressView, self).post(request, *args, **kwargs)


class ShippingMethodView(OncePerRequest, oscar_views.ShippingMethodView):
    def form_invalid(self, form):
        # A delivery code not offered (tampered or stale) is a 400, not a redirect.
        messages.error(self.request, _("Choose one of the delivery options offered."))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class PaymentMethodView(OncePerRequest, oscar_views.PaymentMethodView, generic.FormView):
    """The channel's payment methods for this order total (Pay on Delivery up to its cap)."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    success_url = reverse_lazy("checkout:preview")

    def get(self, request, *args, **kwargs):
        return generic.FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return generic.FormView.post(self, request, *args, **kwargs)

    @cached_property
    def _method_and_total(self):
        # Read by the form's choices and by the page: computed once per request.
        basket = self.request.basket
        shipping_address = self.get_shipping_address(basket)
        method = self.get_shipping_method(basket, shipping_address)
        return method, order_totals(basket=basket, shipping_method=method)[1]

    @property
    def order_total(self):
        return self._method_and_total[1]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        method, total = self._method_and_total
        # Other packages' limits too (a partner shop's cash limit): see ``order.hooks``.
        kwargs["options"] = filter_payment_options(
            payment_options_for(self.request.channel, total.incl_tax),
            shipping_method=method, total=total.incl_tax,
        )
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["order_total"] = self.order_total
        return ctx

    def form_valid(self, form):
        self.checkout_session.pay_by(form.cleaned_data["option"].pk)
        # The preview's checkout key, made with this write of the session rather than
        # by the preview (which would write the session for it).
        _checkout_key(self.request, self.request.basket)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PaymentDetailsView(OncePerRequest, oscar_views.PaymentDetailsView):
    # Its POST places the order: Oscar's basket check stays (order_place re-checks too).
    posts_choices_only = False

    def get(self, request, *args, **kwargs):
        if not self.preview:
            # Nothing to enter here: the payment method step leads to the preview.
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        placed_id = request.session.get("checkout_order_id")
        if (
            self.preview and request.method == "POST" and request.POST.get("action") == "place_order"
            and placed_id is not None
        ):
            # A replayed or double-clicked submission finds its order here,
            # before Oscar's checks send it away for the basket being empty now.
            # (Only this session's last order can be: none yet, nothing to look up.)
            placed = Order.objects.filter(
                checkout_key=str(request.POST.get("checkout_key", ""))[:64], channel=request.channel,
                pk=placed_id,
            ).first()
            if placed is not None:
                return self.after_placing(placed)
        return super().dispatch(request, *args, **kwargs)

    def check_payment_data_is_captured(self, request):
        if self.payment_option() is None:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you will pay."),
            )

    def payment_option(self):
        chosen = self.checkout_session.payment_method()
        return self._memo("payment", chosen, lambda: payment_option_in(self.request.channel, chosen))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.preview:
            # The lines' pictures and titles come with the lines (basket.lines).
            ctx["payment_option"] = self.payment_option()
            ctx["checkout_key"] = _checkout_key(self.request, self.request.basket)
        return ctx

    def handle_place_order_submission(self, request):
        basket = request.basket
        key = str(request.POST.get("checkout_key", ""))
        if key != _checkout_key(request, basket):
            return self.reject(_("This order form has expired. Please check your order and confirm again."))
        try:
            expected_total = parse_amount(request.POST.get("expected_total", ""))
        except InvalidAmount:
            return self.reject(_("Your order total is missing or malformed. Please confirm again."))
        shipping_address = self.get_shipping_address(basket)
        shipping_method = self.get_shipping_method(basket, shipping_address)
        option = self.payment_option()
        if shipping_method is None or option is None:
            return self.reject(_("Please choose a delivery option and a payment method."))
        # What other packages refuse a guest (a flash-sale claim: an unverified e-mail).
        refused = guest_refusal(request=request, basket=basket,
                                email=self.checkout_session.get_guest_email() or "")
        if refused is not None:
            return self.reject(refused)
        try:
            placed = order_place(
                channel=request.channel, basket=basket, user=request.user,
                guest_email=self.checkout_session.get_guest_email() or "",
                shipping_address=shipping_address, shipping_method=shipping_method,
                payment_option=option, checkout_key=key, expected_total=expected_total,
                request=request,
            )
        except CheckoutError as exc:
            return self.reject(exc.message, status=409)
        request.session["checkout_order_id"] = placed.order.pk
        if placed.created:
            self.checkout_session.flush()
        return self.after_placing(placed.order, pays_on_delivery=placed.created and option.is_pay_on_delivery)

    def after_placing(self, order, pays_on_delivery=False):
        if pays_on_delivery:
            # Placed just now, to be paid on delivery: no payment to start or look up.
            return redirect("checkout:thank-you")
        return redirect(payment_redirect_url(order) or reverse("checkout:thank-you"))

    def reject(self, message, status=400):
        """Nothing was placed: say why, on the preview page, with a 4xx."""
        messages.error(self.request, message)
        response = self.render_preview(self.request)
        response.status_code = status
        return response


class ThankYouView(oscar_views.ThankYouView):
    def get_object(self, queryset=None):
        # Everything the confirmation shows, in one query per kind, not per line.
        order_id = self.request.session.get("checkout_order_id")
        if order_id is not None and not self.request.user.is_superuser:
            order = (
                Order.objects.filter(pk=order_id)
                .select_related("channel", "shipping_address__country")
                .prefetch_related(
                    # The lines' products joined to the lines (one query less than a prefetch).
                    Prefetch("lines", queryset=Line.objects.select_related("product")),
                    "lines__product__images", "lines__attributes", "discounts", "surcharges", "taxes",
                )
                .first()
            )
        else:
            order = super().get_object(queryset)
        if order is not None and order.channel_id != self.request.channel.pk:
            return None
        return order

    def get_context_data(self, *args, **kwargs):
        if _google_analytics_id():
            return super().get_context_data(*args, **kwargs)
        # No Google Analytics: Oscar's "purchase" event is never sent, so there is nothing to
        # remember having sent; skip its UPDATE of the order (a write on every thank-you page).
        ctx = super(oscar_views.ThankYouView, self).get_context_data(*args, **kwargs)
        ctx["send_analytics_event"] = False
        return ctx


def _google_analytics_id():
    # As Oscar's context processor reads it (oscar.core.context_processors.metadata).
    return getattr(settings, "OSCAR_GOOGLE_ANALYTICS_ID", None) or getattr(settings, "GOOGLE_ANALYTICS_ID", None)


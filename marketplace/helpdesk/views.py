"""The help page, the contact form and a request's page: thin views over the services."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from marketplace.localisation.content import current_languages
from marketplace.localisation.templatetags.localisation import local_date
from marketplace.order.models import Order
from marketplace.pagecache.pages import CachedPageMixin
from marketplace.throttling.ratelimit import ratelimited

from . import selectors
from .forms import ContactForm, ReplyForm, ReturnForm
from .models import HelpRequest
from .return_rules import ReturnRefused
from .returns import return_create
from .services import HelpError, access_token, help_request_open, shopper_reply, token_matches


def _help_context(request):
    channel = request.channel
    desk = selectors.help_desk(channel)
    return {
        "desk": desk,
        "hours": desk and selectors.opening_hours(desk, channel=channel, language=request.LANGUAGE_CODE,
                                                  languages=current_languages(channel)),
        "delivery_options": selectors.delivery_times(channel),
        "return_days": desk.return_days if desk else None,
    }


class HelpView(CachedPageMixin, TemplateView):
    """The channel's help page in its languages: contacts, hours, answers, a contact form."""

    template_name = "helpdesk/help.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_help_context(self.request), "form": ContactForm()}


@method_decorator(ratelimited("help-contact"), name="dispatch")
class ContactView(View):
    http_method_names = ["post"]

    def post(self, request):
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                help_request = help_request_open(
                    channel=request.channel, user=request.user, name=data["name"], email=data["email"],
                    topic=data["topic"], body=data["body"], order_number=data["order_number"],
                    language=request.LANGUAGE_CODE,
                )
            except HelpError as exc:
                form.add_error("order_number", exc.message)
            else:
                return redirect("helpdesk:request", reference=help_request.reference,
                                token=access_token(help_request))
        context = {**_help_context(request), "form": form}
        return TemplateResponse(request, "helpdesk/help.html", context, status=400)


@method_decorator(ratelimited("help-contact"), name="dispatch")
class RequestView(View):
    """A request's thread: its shopper reads the answers and replies (the address is the key)."""

    def get_request(self, request, reference, token):
        help_request = get_object_or_404(HelpRequest, reference=reference, channel=request.channel)
        if not token_matches(help_request, token):
            raise Http404(_("No help request here matches that address."))
        return help_request

    def render(self, request, help_request, form, status=200):
        return TemplateResponse(request, "helpdesk/request.html", {
            "help_request": help_request, "messages_": help_request.messages.all(), "form": form,
        }, status=status)

    def get(self, request, reference, token):
        return self.render(request, self.get_request(request, reference, token), ReplyForm())

    def post(self, request, reference, token):
        help_request = self.get_request(request, reference, token)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render(request, help_request, form, status=400)
        shopper_reply(request=help_request, body=form.cleaned_data["body"])
        return redirect("helpdesk:request", reference=reference, token=token)


class _ReturnMixin:
    """Ask for a return of an item of a delivered order: the same rules for every shopper."""

    http_method_names = ["post"]

    def order_url(self, order) -> str:
        raise NotImplementedError

    def ask(self, request, order):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.refused(request, order, errors)
        try:
            return_create(
                order=order, line_id=form.cleaned_data["line"], quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"], today=request.channel.today(), language=request.LANGUAGE_CODE,
                format_day=lambda day: local_date(day, "long"),
            )
        except ReturnRefused as exc:
            return self.refused(request, order, [exc.message])
        return redirect(self.order_url(order) + "#aftercare")

    def refused(self, request, order, errors):
        return TemplateResponse(request, "helpdesk/return_refused.html",
                                {"order": order, "errors": errors, "order_url": self.order_url(order)},
                                status=400)


@method_decorator(login_required, name="dispatch")
@method_decorator(ratelimited("help-contact"), name="dispatch")
class ReturnView(_ReturnMixin, View):
    """The shopper asks to return an item of their delivered order, from the order's page."""

    def order_url(self, order) -> str:
        return reverse("customer:order", kwargs={"order_number": order.number})

    def post(self, request, number):
        order = Order.objects.filter(number=number, user=request.user, channel=request.channel).first()
        if order is None:
            raise Http404(_("This order is not one of yours."))
        return self.ask(request, order)


@method_decorator(ratelimited("help-contact"), name="dispatch")
class GuestReturnView(_ReturnMixin, View):
    """A guest asks for a return from their order's page: its address carries the order's signed hash.

    The hash and the session's order e-mail are what Oscar's order status page checks: only the
    visitor who looked the order up (or placed it) can ask; a forged or another order's hash, or
    the address alone in another browser, finds nothing.
    """

    def order_url(self, order) -> str:
        return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": self.kwargs["hash"]})

    def post(self, request, number, hash):
        order = Order.objects.filter(number=number, user=None, channel=request.channel).first()
        # Oscar's order page asks the same two things: the signed hash (which also travels in
        # invoice and e-mail links) and the order's e-mail, proven to the order lookup in this session.
        if (order is None or not order.check_verification_hash(hash)
                or order.email != request.session.get("anon_order_email")):
            raise Http404(_("No order here matches that address."))
        return self.ask(request, order)

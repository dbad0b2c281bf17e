"""Checkout forms: addresses in the channel's country, phones valid there, a payment choice."""

import phonenumbers
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.models import Country
from oscar.apps.checkout.forms import *  # noqa: F401,F403  (Oscar's other checkout forms)
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm

from .rendering import WIDGETS


class CityInput(forms.TextInput):
    """A free-text city with the channel's delivery cities suggested (a ``<datalist>``).

    ``cities`` may be a callable, called when the input is rendered: a POST that places
    the order never renders it, and need not read the cities.
    """

    def __init__(self, cities=(), attrs=None):
        super().__init__(attrs)
        self.cities = cities

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-cities"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        cities = self.cities() if callable(self.cities) else self.cities
        options = format_html_join("", '<option value="{}">', ((city,) for city in cities))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


def delivery_cities(channel) -> list[str]:
    """Cities the channel's express delivery and pickup stations serve, for suggestions."""
    from marketplace.delivery.selectors import delivery_data

    options, stations = delivery_data(channel)  # one read of the shared cache, not two
    cities = {city for option in options for city in option.cities}
    cities |= {station.city for station in stations}
    return sorted(cities)


class ShippingAddressForm(OscarShippingAddressForm):
    """The country is the channel's and cannot be changed; the phone is required.

    Oscar's phone mixin validates the number for the address's country and the
    model field stores it in E.164 (+2348012345678).
    """

    def __init__(self, *args, channel=None, **kwargs):
        self.channel = channel
        super().__init__(*args, **kwargs)
        if channel is not None:
            code = str(channel.country).upper()
            self.fields["country"].queryset = Country.objects.filter(iso_3166_1_a2=code)
            self.fields["country"].initial = code
            self.fields["country"].empty_label = None
            self.fields["line4"].widget = CityInput(lambda: delivery_cities(channel))
        self.fields["phone_number"].required = True
        self.fields["phone_number"].help_text = _(
            "We call or text this number about your delivery."
        )

    def adjust_country_field(self):
        # In a channel the country is the channel's (set in __init__): Oscar's list of
        # every shipping country would be read for nothing.
        if self.channel is None:
            super().adjust_country_field()

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("phone_number")
        if self.channel is not None and number and "phone_number" not in self.errors:
            # Oscar accepts any valid international number; deliveries here
            # need a number of this country.
            region = str(self.channel.country).upper()
            valid = getattr(number, "is_valid", lambda: False)()
            if not valid or phonenumbers.region_code_for_number(number) != region:
                self.add_error(
                    "phone_number",
                    _("This is not a valid phone number for %(country)s.")
                    % {"country": self.channel.country.name},
                )
        return cleaned

    def clean_country(self):
        country = self.cleaned_data.get("country")
        if self.channel is not None and (
            country is None or country.iso_3166_1_a2 != str(self.channel.country).upper()
        ):
            raise forms.ValidationError(_("We only deliver within this country."))
        return country


class _LoadedChoices(forms.models.ModelChoiceIterator):
    """The choices from the options the field loaded once (the page also asks if there are any)."""

    def __iter__(self):
        for option in self.field.loaded:
            yield self.choice(option)

    def __len__(self):
        return len(self.field.loaded)

    def __bool__(self):
        return bool(self.field.loaded)


class _OptionField(forms.ModelChoiceField):
    """A choice among the options offered (a list, ``loaded``), shown and checked without a query."""

    iterator = _LoadedChoices
    loaded = ()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for option in self.loaded:
            if str(option.pk) == str(value):
                return option
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class PaymentMethodForm(forms.Form):
    option = _OptionField(
        queryset=None, widget=forms.RadioSelect, empty_label=None, label=_("Payment method"),
        error_messages={"invalid_choice": _("Choose one of the payment methods offered.")},
    )

    def __init__(self, *args, options, **kwargs):
        """``options``: the payment options this order may use (``payment_options_for``)."""
        from marketplace.payments.models import PaymentOption

        super().__init__(*args, **kwargs)
        field = self.fields["option"]
        field.loaded = list(options)
        field.queryset = PaymentOption.objects.filter(pk__in=[option.pk for option in field.loaded])
        field.label_from_instance = lambda option: option.get_method_display()

    @property
    def options(self):
        """The options offered, loaded once."""
        return self.fields["option"].loaded


_countries: dict[str, Country] = {}


def channel_country(channel) -> Country:
    """The channel's country row, read once per process (its name and code never change here)."""
    code = str(channel.country).upper()
    if code not in _countries:
        _countries[code] = Country.objects.get(iso_3166_1_a2=code)
    return _countries[code]


class OnePageCheckoutForm(ShippingAddressForm):
    """Everything an order asks on one page: contact, address with phone, delivery, payment.

    ``methods`` are the delivery methods for the address's city, ``options`` the payment
    options (the view re-checks the chosen one against the chosen method's total). A
    signed-in shopper is not asked for an e-mail (``guest=False``). Its widgets are written
    in Python (``rendering.WidgetRenderer``: the same HTML as Django's widget templates).
    """

    default_renderer = WIDGETS

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("Your order confirmation is sent here."))
    method_code = forms.ChoiceField(label=_("Delivery"), widget=forms.RadioSelect,
                                    error_messages={"invalid_choice": _("Choose one of the delivery options offered.")})
    option = _OptionField(
        queryset=None, widget=forms.RadioSelect, empty_label=None,
        label=_("Payment method"),
        error_messages={"invalid_choice": _("Choose one of the payment methods offered.")},
    )

    field_order = ["email", "first_name", "last_name", "line1", "line2", "line4", "state", "postcode",
                   "country", "phone_number", "notes", "method_code", "option"]
    # A phone's browser fills the page in from what it knows (and shows the right keyboard).
    AUTOCOMPLETE = {"email": "email", "first_name": "given-name", "last_name": "family-name",
                    "line1": "address-line1", "line2": "address-line2", "line4": "address-level2",
                    "state": "address-level1", "postcode": "postal-code", "phone_number": "tel"}

    def __init__(self, *args, channel, methods, options, guest: bool, **kwargs):
        super().__init__(*args, channel=channel, **kwargs)
        if not guest:
            del self.fields["email"]
        self.fields.pop("line3", None)
        for name, token in self.AUTOCOMPLETE.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["phone_number"].widget.input_type = "tel"
        # The channel's country as the only choice, shown and checked without a query (the
        # queryset's choices were read twice per page, and again to check the POST).
        country = self.fields["country"] = _OptionField(
            queryset=self.fields["country"].queryset, empty_label=None, label=self.fields["country"].label,
            initial=self.fields["country"].initial,
        )
        country.loaded = [channel_country(channel)]
        self.methods = {method.code: method for method in methods}
        self.fields["method_code"].choices = [(method.code, method.name) for method in methods]
        if methods and not self.is_bound:
            self.fields["method_code"].initial = methods[0].code
        from marketplace.payments.models import PaymentOption

        field = self.fields["option"]
        field.loaded = list(options)
        field.queryset = PaymentOption.objects.none()  # never read: the choices are ``loaded``
        field.label_from_instance = lambda option: option.get_method_display()
        if field.loaded and not self.is_bound:
            field.initial = field.loaded[0].pk

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self):
        # The country field gave the channel's own row: the model's foreign-key check
        # would read it again (a query per order).
        return {*super()._get_validation_exclusions(), "country"}

    @property
    def options(self):
        return self.fields["option"].loaded

    @property
    def method(self):
        return self.methods.get(self.cleaned_data.get("method_code"))

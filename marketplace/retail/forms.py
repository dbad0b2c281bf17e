"""The shop profile form of the back office."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from marketplace.locator.cities import city_named

from .models import Retailer
from .phones import normalise_phone


class RetailerForm(forms.ModelForm):
    class Meta:
        model = Retailer
        fields = (
            "partner", "channel", "slug", "name", "address", "city", "district", "latitude",
            "longitude", "phone", "whatsapp", "photo", "brands", "delivery_radius_km",
            "delivery_districts", "cash_on_delivery_limit", "is_active",
        )

    def _channel(self):
        return self.cleaned_data.get("channel") or getattr(self.instance, "channel", None)

    def clean(self):
        cleaned = super().clean()
        channel = self._channel() if self.instance.channel_id or cleaned.get("channel") else None
        if channel is None:
            return cleaned
        country = channel.country.code
        for field in ("phone", "whatsapp"):
            value = cleaned.get(field)
            if value:
                try:
                    cleaned[field] = normalise_phone(value, country)
                except forms.ValidationError as error:
                    self.add_error(field, error)
                    continue
                # Texts to a number reach one shop: a number another shop answers on would
                # divert its orders (and its shoppers' numbers) here.
                taken = Retailer.objects.filter(is_active=True).filter(
                    **{"phone" if field == "phone" else "whatsapp": cleaned[field]}
                ).exclude(pk=self.instance.pk)
                if taken.exists():
                    self.add_error(field, _("Another shop already uses this number."))
        districts = cleaned.get("delivery_districts")
        if districts is not None and (
            not isinstance(districts, list)
            or not all(isinstance(d, str) and 0 < len(d) <= 128 for d in districts)
        ):
            self.add_error("delivery_districts", _("Give the districts as a list of names."))
        city = cleaned.get("city")
        if city and city_named(country, city) is None:
            self.add_error("city", _("We do not know this city in this country."))
        partner = cleaned.get("partner")
        if partner is not None and not self.instance.pk and Retailer.objects.filter(partner=partner).exists():
            self.add_error("partner", _("This seller already has a shop."))
        return cleaned


class JoinForm(forms.Form):
    """The invited retailer's password and shop (the rest is completed in the back office)."""

    name = forms.CharField(label=_lazy("shop name"), max_length=128)
    address = forms.CharField(label=_lazy("address"), max_length=255)
    city = forms.CharField(label=_lazy("city"), max_length=128)
    district = forms.CharField(label=_lazy("district"), max_length=128, required=False)
    phone = forms.CharField(label=_lazy("phone"), max_length=32)
    password1 = forms.CharField(label=_lazy("password"), widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(label=_lazy("password again"), widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        if not self.is_bound and invitation.shop_name:
            self.initial["name"] = invitation.shop_name

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        for name, value in cleaned.items():
            # PostgreSQL refuses NUL in text: a clear error, never a 500.
            if isinstance(value, str) and ("\x00" in value or not value.isprintable()):
                self.add_error(name, _("Use letters, digits and punctuation only."))
        country = self.invitation.channel.country.code
        if cleaned.get("phone"):
            try:
                cleaned["phone"] = normalise_phone(cleaned["phone"], country)
            except forms.ValidationError as error:
                self.add_error("phone", error)
        if cleaned.get("city") and city_named(country, cleaned["city"]) is None:
            self.add_error("city", _("We do not know this city in this country."))
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

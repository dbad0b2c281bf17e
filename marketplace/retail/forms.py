"""The shop profile form of the back office."""

from django import forms
from django.utils.translation import gettext as _

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

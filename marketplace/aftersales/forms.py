"""The warranty choice posted from the product page and the basket."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import InvalidAmount, parse_amount

from .models import WarrantyPlan


class PlanChoiceForm(forms.Form):
    plan = forms.IntegerField(min_value=1, max_value=2**63 - 1, label=_("Warranty plan"))
    price = forms.CharField(max_length=32, label=_("Price shown"))

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel

    def clean_price(self):
        try:
            return parse_amount(self.cleaned_data["price"])
        except InvalidAmount:
            raise forms.ValidationError(_("Enter the price as a plain number.")) from None

    def clean_plan(self):
        plan = WarrantyPlan.objects.filter(pk=self.cleaned_data["plan"], channel=self.channel).first()
        if plan is None:
            raise forms.ValidationError(_("This warranty plan is not offered in this country."))
        return plan

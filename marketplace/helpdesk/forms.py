from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HelpMessage, HelpRequest


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=128)
    email = forms.EmailField(label=_("Your e-mail address"))
    topic = forms.ChoiceField(label=_("About"), choices=HelpRequest.TOPICS)
    order_number = forms.CharField(label=_("Order number (if it is about an order)"), max_length=32,
                                   required=False)
    body = forms.CharField(label=_("Your message"), max_length=HelpMessage._meta.get_field("body").max_length,
                           widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=HelpMessage._meta.get_field("body").max_length,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ReturnForm(forms.Form):
    line = forms.IntegerField(label=_("Item"), min_value=1, max_value=2**63 - 1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=999)
    reason = forms.CharField(label=_("Why are you returning it?"), max_length=2000)

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

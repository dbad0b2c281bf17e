"""``{% checkout_flatpages as flatpages %}``: Oscar's ``get_flatpages '/order/'``, from the cache."""

from django import template
from django.contrib.sites.shortcuts import get_current_site

from marketplace.checkout.flatpages import checkout_flatpages as cached_flatpages

register = template.Library()


@register.simple_tag(takes_context=True)
def checkout_flatpages(context):
    request = context["request"]
    return cached_flatpages(
        get_current_site(request).pk, signed_in=request.user.is_authenticated
    )

"""``{% one_page_field field %}``, ``{% one_page_fields form "a" "b" %}`` and
``{% delivery_choices delivery %}``: the one-page checkout's fields and delivery options,
written in Python (``checkout.rendering``)."""

from django import template
from django.utils.safestring import mark_safe

from marketplace.checkout import rendering
from marketplace.checkout.rendering import field_group

register = template.Library()


@register.simple_tag
def one_page_field(field):
    """One field: label, input, errors, help."""
    return field_group(field)


@register.simple_tag
def one_page_fields(form, *skip):
    """Every field of ``form`` in its order, but those named in ``skip``."""
    return mark_safe("".join(field_group(form[name]) for name in form.fields if name not in skip))


@register.simple_tag
def delivery_choices(delivery):
    """Each delivery option's radio and label, with its charge and total (the view's ``delivery``)."""
    return rendering.delivery_choices(delivery)

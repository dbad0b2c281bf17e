"""
The one-page checkout's form fields rendered in Python, for the flash-sale crowd.

The page renders a dozen inputs, a select and the delivery and payment radios on
every request (it is never cached: a shopper's own form). Through Django's template
form renderer each widget is three or four nested templates (``text.html`` includes
``input.html`` includes ``attrs.html``, a loop of template lookups per attribute),
and ``widget_tweaks`` and an included template per field added as much again: most
of the page's CPU. Here the same HTML is written directly:

``WidgetRenderer`` is a form renderer (the form's ``default_renderer``) that writes
the output of Django's own widget templates it knows (input, select, textarea,
radio and checkbox options) exactly as those templates do, and renders any other
template through Django's templates as before. Django still builds each widget's
context (``BoundField.as_widget``: ``id``, ``required``, ``aria-invalid``,
``aria-describedby``), so only the writing of the HTML changed.
``tests/checkout/test_rendering.py`` holds it to the templates' output.

``field_group`` is one field of the form as the page shows it: its label, its
input (with ``form-control``, and ``is-invalid`` when it has errors), its errors
and its help text, with the ids ``aria-describedby`` names. ``delivery_choices``:
each delivery option's radio and label, with the charge and the total to pay with it.
"""

from html import escape as html_escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from marketplace.channels.templatetags.money import currency

INPUT = "django/forms/widgets/input.html"
# Django's templates whose whole text is ``{% include "django/forms/widgets/input.html" %}``
# and a newline (the test checks each one's source).
INPUT_TEMPLATES = tuple(f"django/forms/widgets/{name}.html" for name in (
    "text", "email", "hidden", "number", "password", "url", "search", "tel", "date", "time", "datetime",
    "color",
))
# ``{% include "django/forms/widgets/input_option.html" %}`` and a newline.
OPTION_TEMPLATES = ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
INPUT_OPTION = "django/forms/widgets/input_option.html"
SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"


class _NotHere(Exception):
    """A template this renderer does not write: Django's template renders it."""


def _text(value) -> str:
    """``{{ value }}`` in a template: localized, escaped unless safe."""
    if type(value) is str:
        return html_escape(value)  # what ``escape`` does, without its lazy-string wrapper
    return conditional_escape(localize(template_localtime(value)))


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value, escaped unless it was safe."""
    if type(value) is str:
        return html_escape(value)
    if isinstance(value, SafeData):
        return str(value)
    return html_escape(str(value))  # ``"%s" % value``, a tuple as ``str``: ``str`` of it either way


def _attrs(attrs) -> str:
    """``attrs.html``: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _input(widget) -> str:
    value = widget["value"]
    html = f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
    if value != None:  # noqa: E711 (the template's ``!= None``)
        html += f' value="{_string(value)}"'
    return f"{html}{_attrs(widget['attrs'])}>\n"


def _input_option(widget) -> str:
    if not widget.get("wrap_label"):
        return f"{_input(widget)}\n"
    label_id = widget["attrs"].get("id")
    label_for = f' for="{_text(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _select_option(widget) -> str:
    return f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>{_text(widget["label"])}</option>\n'


def _nested(option) -> str:
    """``{% include option.template_name with widget=option %}``."""
    write = _WRITERS.get(option.get("template_name"))
    if write is None:
        raise _NotHere
    return write(option)


def _select(widget) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f"\n  {_nested(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _textarea(widget) -> str:
    value = widget["value"]
    return (f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{_text(value) if value else ""}</textarea>\n')


_WRITERS = {
    INPUT: _input,
    **{name: lambda widget: f"{_input(widget)}\n" for name in INPUT_TEMPLATES},
    INPUT_OPTION: _input_option,
    **{name: lambda widget: f"{_input_option(widget)}\n" for name in OPTION_TEMPLATES},
    SELECT: _select,
    SELECT_OPTION: _select_option,
    TEXTAREA: _textarea,
}


class WidgetRenderer(DjangoTemplates):
    """Django's template form renderer, writing the widget templates it knows in Python."""

    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        widget = context.get("widget") if write is not None and len(context) == 1 else None
        if widget is not None:
            try:
                return write(widget).strip()
            except _NotHere:
                pass
        return super().render(template_name, context, request=request)


WIDGETS = WidgetRenderer()


def field_group(field) -> SafeString:
    """One field: label, input, errors and help (a hidden field: its input alone)."""
    if field.is_hidden:
        return mark_safe(str(field))
    errors = field.errors
    widget = field.field.widget
    # widget_tweaks' ``class+=``: after the widget's own class, if it has one.
    css = "form-control is-invalid" if errors else "form-control"
    own = widget.attrs.get("class")
    html = field.as_widget(attrs={"class": f"{own} {css}" if own else css})
    auto_id = _text(field.auto_id)
    required = " required" if field.field.required else ""
    lines = [f'<label for="{auto_id}" class="col-form-label{required}">{_text(field.label)}</label>', html]
    if errors:
        messages = "".join(f"<p>{_text(error)}</p>" for error in errors)
        lines.append(f'<div class="error-block" id="{auto_id}_error">{messages}</div>')
    if field.help_text:
        lines.append(f'<small class="form-text text-muted" id="{auto_id}_helptext">{_text(field.help_text)}</small>')
    parts = ['<div class="form-group">', *lines]
    return mark_safe("\n    ".join(parts) + "\n</div>\n")


def delivery_choices(delivery) -> SafeString:
    """Each (choice, charge, total) of ``delivery``: its radio, and its label with the
    delivery charge and the total to pay with it (as the template's ``blocktrans`` did)."""
    parts = []
    for choice, charge, total in delivery:
        label = _text(choice.choice_label)
        if total:
            amounts = {"charge": _text(currency(charge.incl_tax, total.currency)),
                       "total": _text(currency(total.incl_tax, total.currency))}
            try:
                text = gettext("delivery %(charge)s, total to pay %(total)s") % amounts
            except (KeyError, ValueError):  # a malformed translation: the English, as blocktrans does
                text = f"delivery {amounts['charge']}, total to pay {amounts['total']}"
            label = f"{label}\n                    · {text}"
        parts.append(
            f'<div class="form-check">\n                {choice.tag()}\n'
            f'                <label class="form-check-label" for="{_text(choice.id_for_label)}">{label}\n'
            f"                </label>\n            </div>"
        )
    return mark_safe("\n            ".join(parts))

"""
Form pieces every back-office admin gets from ``ScopedAdmin`` (and ``ScopedInline``).

- ``ListField``: a list of short texts (cities served) typed one per line, or
  separated by commas, instead of JSON. Every ``JSONField`` whose default is
  ``list`` gets it; ``list_fields`` on an admin names others.
- ``dir="auto"`` on every free-text input and textarea, so an Arabic title
  reads right-to-left in an English admin and the reverse.
- A required choice with exactly one possible value (a seller's own store, an
  operator's one country) comes preselected, without Django's "---------".

``formfield_for_dbfield`` in ``scoping._Scoped`` applies them; a new admin
built on ``ScopedAdmin`` has them with nothing to declare.
"""

import json

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MAX_ITEMS = 200
MAX_ITEM_LENGTH = 100


class ListTextarea(forms.Textarea):
    """A list shown one item per line."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, "cols": 40, "dir": "auto", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)


class ListField(forms.Field):
    """Short texts, one per line or separated by commas; blanks and repeats dropped."""

    widget = ListTextarea
    default_help_text = gettext_lazy("One per line (or separated by commas).")

    def __init__(self, *, max_items=MAX_ITEMS, max_length=MAX_ITEM_LENGTH, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        self.max_items, self.max_length = max_items, max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list | tuple):
            items = [str(item) for item in value]
        else:
            items = str(value).replace(",", "\n").splitlines()
        cleaned = []
        for item in items:
            item = " ".join(item.split())
            if "\x00" in item:
                raise ValidationError(_("Remove the null character."), code="null")
            if len(item) > self.max_length:
                raise ValidationError(
                    ngettext(
                        "Each item is at most %(count)d character long.",
                        "Each item is at most %(count)d characters long.", self.max_length,
                    ) % {"count": self.max_length},
                    code="long",
                )
            if item and item not in cleaned:
                cleaned.append(item)
        if len(cleaned) > self.max_items:
            raise ValidationError(
                ngettext("At most %(count)d item.", "At most %(count)d items.", self.max_items)
                % {"count": self.max_items},
                code="many",
            )
        return cleaned

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def is_list_field(db_field) -> bool:
    from django.db.models import JSONField

    return isinstance(db_field, JSONField) and db_field.default is list


FREE_TEXT_WIDGETS = (forms.TextInput, forms.Textarea)
NOT_FREE_TEXT = (forms.EmailInput, forms.URLInput, forms.NumberInput, forms.PasswordInput)


def add_dir_auto(formfield) -> None:
    """``dir="auto"`` on a free-text widget (wrapped or not)."""
    widget = formfield.widget
    inner = getattr(widget, "widget", widget)  # RelatedFieldWidgetWrapper
    if isinstance(inner, FREE_TEXT_WIDGETS) and not isinstance(inner, NOT_FREE_TEXT):
        if not isinstance(inner, admin_widgets.AdminIntegerFieldWidget):
            inner.attrs.setdefault("dir", "auto")


def preselect_single_choice(formfield) -> None:
    """A required choice with one possible value: that value, and no empty choice."""
    if not isinstance(formfield, forms.ModelChoiceField) or isinstance(
        formfield, forms.ModelMultipleChoiceField
    ):
        return
    inner = getattr(formfield.widget, "widget", formfield.widget)
    if not formfield.required or isinstance(inner, admin_widgets.AutocompleteMixin):
        return
    only = list(formfield.queryset[:2])
    if len(only) == 1:
        formfield.empty_label = None
        formfield.initial = only[0].pk

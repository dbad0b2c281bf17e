"""
Admin input that Django looks up or renders before validating it.

- Foreign-key and many-to-many ids: the autocomplete widget filters by
  whatever was sent ("1.5", "[]" were a ValueError, a 500), and on SQLite a
  20-digit id is an OverflowError in the choice fields' own lookups. An id
  that cannot be a key of the related model is simply not a choice.
- ``?field=value`` on an add page becomes the form's initial data as text:
  ``?starts_at=abc`` reached the date-time widget as a string (AttributeError,
  a 500). A value its model field cannot read is dropped, like an unknown field.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import Field


def is_key(field, value) -> bool:
    """Whether ``value`` can be a value of model ``field`` (a primary key or a to_field)."""
    try:
        python = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(python, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return True


def _key_field(choice_field):
    model = choice_field.queryset.model
    name = getattr(choice_field, "to_field_name", None)
    return model._meta.get_field(name) if name else model._meta.pk


class KeyCheckedChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_key(_key_field(self), value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = frozenset()
        key = _key_field(self)
        for each in values:
            if not is_key(key, each):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": each},
                )
        return super()._check_values(value)


class _KeyCheckedAutocomplete:
    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        name = getattr(self.field.remote_field, "field_name", None)
        key = model._meta.get_field(name) if name else model._meta.pk
        return super().optgroups(name, [v for v in value if is_key(key, v)], attr)


class KeyCheckedAutocompleteSelect(_KeyCheckedAutocomplete, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(_KeyCheckedAutocomplete, AutocompleteSelectMultiple):
    pass


def key_checked_kwargs(model_admin, db_field, request, kwargs, *, many: bool) -> dict:
    """``formfield_for_*`` kwargs with the key-checking field and autocomplete widget."""
    kwargs = dict(kwargs)
    kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField if many else KeyCheckedChoiceField)
    if "widget" not in kwargs and db_field.name in model_admin.get_autocomplete_fields(request):
        widget = KeyCheckedAutocompleteSelectMultiple if many else KeyCheckedAutocompleteSelect
        kwargs["widget"] = widget(db_field, model_admin.admin_site, using=kwargs.get("using"))
    return kwargs


def readable_initial(model, initial: dict) -> dict:
    """``initial`` without the values of ``model``'s plain fields that those fields cannot read."""
    readable = {}
    for name, value in initial.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # Django keeps unknown names; so do we
            readable[name] = value
            continue
        if not isinstance(field, Field) or field.is_relation:
            readable[name] = value if not field.is_relation or _relation_readable(field, value) else None
            continue
        try:
            readable[name] = field.to_python(value)
        except (ValidationError, TypeError, ValueError, OverflowError):
            continue
    return {name: value for name, value in readable.items() if value is not None}


def _relation_readable(field, value) -> bool:
    model = field.remote_field.model
    name = getattr(field.remote_field, "field_name", None)
    key = model._meta.get_field(name) if name else model._meta.pk
    values = value if isinstance(value, list | tuple) else [value]
    return all(is_key(key, v) for v in values)

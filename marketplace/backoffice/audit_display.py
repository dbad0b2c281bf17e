"""The audit trail in plain words: field labels, amounts with their currency, yes and no.

An entry stores raw values (``"is_live": [null, true]``, ``"price": ["150000.00",
"155000.50"]``) so they stay comparable; people read them through this: the
field's own label in the admin's language, amounts of the entry's channel in its
currency, booleans as Yes/No, a line's or an order's status by its label.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import display


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


_value_labels: dict[tuple[str, str], dict] = {}


def label_values(model, field_name: str, labels: dict) -> None:
    """Show the stored values of ``model.field_name`` by these labels (statuses kept in English)."""
    _value_labels[(model._meta.label_lower, field_name)] = {str(k): v for k, v in labels.items()}


def _labels(model, name):
    if model is None:
        return {}
    return _value_labels.get((model._meta.label_lower, name), {})


def plain_value(value, field, channel, labels) -> str:
    if value is None or value == "":
        return "–"
    if str(value) in labels:
        return str(labels[str(value)])
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DecimalField) and channel is not None and field.decimal_places == 2:
        try:
            return display.money(Decimal(str(value)), channel)
        except (InvalidOperation, ValueError):
            return str(value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def change_lines(entry) -> list[tuple[str, str, str]]:
    """``[(label, before, after)]`` for an entry, in the admin's language."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    channel = entry.channel if entry.channel_id else None
    lines = []
    for name, pair in (entry.changes or {}).items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field is not None else name.replace("_", " ")
        labels = _labels(model, name)
        lines.append((
            label, plain_value(before, field, channel, labels), plain_value(after, field, channel, labels),
        ))
    return lines

"""Turning an admin change page back into the POST data that would save it unchanged."""


def _field_data(form, data):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            # A browser posts only the choices the widget shows.
            shown = {str(pk) for pk in field.queryset.values_list("pk", flat=True)}
            data[key] = [str(v) for v in value if str(v) in shown]
            continue
        if hasattr(field, "widget") and field.widget.__class__.__name__ == "ClearableFileInput":
            continue
        data[key] = str(value)


def admin_form_data(response) -> dict:
    """The change form's current values, inlines and management forms included."""
    ctx = response.context_data
    data = {}
    _field_data(ctx["adminform"].form, data)
    for inline in ctx["inline_admin_formsets"]:
        formset = inline.formset
        _field_data(formset.management_form, data)
        for form in formset.initial_forms:
            _field_data(form, data)
    return data

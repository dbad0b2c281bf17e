"""The one-page checkout's widgets written in Python (``checkout.rendering``) are Django's
widget templates' output, character for character, and its fields keep their labels,
errors, help and the ids ``aria-describedby`` names."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from marketplace.checkout import rendering
from marketplace.checkout.forms import OnePageCheckoutForm
from marketplace.checkout.rendering import WIDGETS, field_group

TEMPLATES = DjangoTemplates()


def both(widget, name, value, attrs=None):
    """The widget rendered by Django's templates and by ``WIDGETS``."""
    return (widget.render(name, value, attrs, renderer=TEMPLATES),
            widget.render(name, value, attrs, renderer=WIDGETS))


ODD = 'a "quoted" <b>&amp; \'x\''


@pytest.mark.parametrize("widget", [
    forms.TextInput(), forms.TextInput(attrs={"maxlength": "255", "autocomplete": "given-name"}),
    forms.EmailInput(), forms.NumberInput(), forms.PasswordInput(render_value=True), forms.URLInput(),
    forms.HiddenInput(), forms.TextInput(attrs={"required": True, "disabled": False, "data-x": None}),
    forms.TextInput(attrs={"title": ODD, "class": mark_safe("a&amp;b")}), forms.DateInput(), forms.TimeInput(),
])
@pytest.mark.parametrize("value", [None, "", "Ada", ODD, mark_safe("<i>safe</i>"), 42, 0, ("a", 1)])
def test_inputs_are_the_templates_output(widget, value):
    templates, written = both(widget, "first_name", value, {"id": "id_first_name", "aria-invalid": "true"})
    assert written == templates


@pytest.mark.parametrize("value", [None, "", "ring twice", "line\nline <b>", mark_safe("<i>x</i>")])
def test_a_textarea_is_the_templates_output(value):
    templates, written = both(forms.Textarea(), "notes", value, {"id": "id_notes", "class": "form-control"})
    assert written == templates


@pytest.mark.parametrize("choices", [
    [("NG", "Nigeria")],
    [("", "---------"), ("NG", "Nigeria"), ("CI", "Côte d'Ivoire <&>")],
    [("West", [("NG", "Nigeria"), ("CI", "Côte d'Ivoire")]), ("KE", "Kenya")],
    [(1, "One"), (2, "Two")],
])
@pytest.mark.parametrize("value", [None, "NG", "KE", 2, "nope"])
def test_a_select_is_the_templates_output(choices, value):
    templates, written = both(forms.Select(choices=choices), "country", value, {"id": "id_country"})
    assert written == templates


@pytest.mark.parametrize("widget_class", [forms.RadioSelect, forms.CheckboxSelectMultiple])
@pytest.mark.parametrize("wrap_label", [False, True])
def test_radio_and_checkbox_options_are_the_templates_output(widget_class, wrap_label):
    widget = widget_class(choices=[("home-1", "Home delivery"), ("pickup-2-3", "Pickup <Station> & co")])
    for option in widget.subwidgets("method_code", "home-1", {"id": "id_method_code", "required": True}):
        context = {"widget": {**option, "wrap_label": wrap_label}}
        assert WIDGETS.render(option["template_name"], context) == TEMPLATES.render(option["template_name"], context)


def test_templates_it_does_not_write_are_djangos():
    # A whole radio list, a checkbox, a multi-widget: Django's templates, as before.
    for widget, value in [(forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), "a"), (forms.CheckboxInput(), True),
                          (forms.SplitDateTimeWidget(), None), (forms.ClearableFileInput(), None)]:
        templates, written = both(widget, "x", value, {"id": "id_x"})
        assert written == templates


def test_every_template_it_writes_is_one_django_has_and_as_it_reads():
    def source(name):
        return TEMPLATES.get_template(name).template.source

    for name in rendering._WRITERS:
        assert source(name)  # found, here as in Django's renderer (no app overrides it)
    for name in rendering.INPUT_TEMPLATES:
        assert source(name) == '{% include "django/forms/widgets/input.html" %}\n', name
    for name in rendering.OPTION_TEMPLATES:
        assert source(name) == '{% include "django/forms/widgets/input_option.html" %}\n', name


@pytest.fixture
def make_form(db, channel_ngn):
    from marketplace.payments.models import PaymentOption

    class Method:
        def __init__(self, code, name):
            self.code, self.name = code, name

    option = PaymentOption(pk=7, channel=channel_ngn, method=PaymentOption._meta.get_field("method").choices[0][0])

    def make(*args, **kwargs):
        made = OnePageCheckoutForm(*args, channel=channel_ngn, methods=[Method("home-1", "Home"), Method("pickup-2", "Pickup")],
                                   options=[option], guest=True, **kwargs)
        made.fields["code"] = forms.CharField(
            label="Code", help_text="6 digits", required=False,
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}))
        return made

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {}, {"email": "nope", "first_name": 'A"da <b>', "line1": "", "notes": "x < y",
                                         "phone_number": "+254712345678", "method_code": "x", "option": "9",
                                         "country": "NG", "code": "12ab"}])
def test_the_forms_widgets_are_the_templates_output(make_form, data):
    written = make_form(data) if data is not None else make_form()
    templates = make_form(data, renderer=TEMPLATES) if data is not None else make_form(renderer=TEMPLATES)
    assert written.renderer is WIDGETS
    if data is not None:
        written.is_valid(), templates.is_valid()
    for name in written.fields:
        assert str(written[name]) == str(templates[name]), name
        for mine, theirs in zip(written[name], templates[name], strict=True):
            if hasattr(mine, "tag"):
                assert mine.tag() == theirs.tag()


@pytest.mark.django_db
def test_a_field_keeps_its_label_errors_help_and_their_ids(make_form):
    bound = make_form({"email": "nope"})
    bound.is_valid()

    email = field_group(bound["email"])

    assert '<label for="id_email" class="col-form-label required">' in email
    assert 'class="form-control is-invalid"' in email and 'aria-invalid="true"' in email
    assert 'aria-describedby="id_email_helptext id_email_error"' in email
    assert re.search(r'<div class="error-block" id="id_email_error"><p>[^<]+</p></div>', email)
    assert '<small class="form-text text-muted" id="id_email_helptext">' in email
    line2 = field_group(bound["line2"])  # optional, valid, no help
    assert 'class="col-form-label"' in line2 and 'class="form-control"' in line2
    assert "aria-" not in line2 and "error-block" not in line2 and "<small" not in line2
    code = field_group(bound["code"])
    assert 'autocomplete="one-time-code"' in code and 'inputmode="numeric"' in code

"""The form renderer draws the plain widgets in Python with exactly the markup of their templates."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.widgets import DRAWN, PortalFormRenderer

CHOICES = [
    ("", "---------"),
    ("a", "Plain"),
    ("b&c", 'Needs <escaping> & "quotes"'),
    ("Group", [(1, "One"), (2, "Two")]),
    (3, gettext_lazy("Three")),
    (None, "None as a value"),
]
ATTRS = [
    None,
    {"class": "form-select form-select-sm", "id": "id_x"},
    {"required": True, "disabled": False, "data-x": "<>", "aria-describedby": mark_safe("a&b")},
]


def both(widget: forms.Widget, value) -> tuple[str, str]:
    """Return the widget drawn by the portal's renderer and by the templates alone."""
    return widget.render("field", value, renderer=PortalFormRenderer()), widget.render(
        "field", value, renderer=TemplatesSetting()
    )


@pytest.mark.parametrize("value", [None, "", "a", "b&c", 2, "3", "unknown"])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("multiple", [False, True])
def test_selects_are_drawn_as_the_templates_draw_them(value, attrs, multiple):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=CHOICES)
    drawn, templated = both(widget, [value, "a"] if multiple else value)
    assert drawn == templated
    assert "Pilih…" in drawn or "Choose…" in drawn  # the project's empty choice, not Django's "---------"


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.NumberInput(attrs={"min": 0, "step": "any"}),
        forms.EmailInput(),
        forms.URLInput(),
        forms.PasswordInput(render_value=True),
        forms.HiddenInput(),
        forms.DateInput(),
        forms.TimeInput(),
        forms.DateTimeInput(),
        forms.CheckboxInput(),
        forms.FileInput(),
        forms.Textarea(attrs={"rows": 3}),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize("value", [None, "", "plain", 'with <tags> & "quotes"', mark_safe("<b>safe</b>"), 12, True])
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs_and_textareas_are_drawn_as_the_templates_draw_them(widget, value, attrs):
    widget.attrs = {**widget.attrs, **(attrs or {})}
    drawn, templated = both(widget, value)
    assert drawn == templated


def test_every_template_written_in_python_is_a_plain_widget_of_django():
    # Any other template (radio buttons, checkbox lists, files with a clear box, multi-widgets) renders as usual.
    assert "django/forms/widgets/radio.html" not in DRAWN
    assert "django/forms/widgets/clearable_file_input.html" not in DRAWN
    assert all(name.startswith("django/forms/widgets/") for name in DRAWN)


@pytest.mark.django_db
def test_the_list_filter_form_draws_its_selects_with_the_renderer(client, kominfo_admin, pillars):
    client.force_login(kominfo_admin)
    html = client.get("/usulan/", {"pillar": str(pillars[0].pk)}).content.decode()
    assert f'<option value="{pillars[0].pk}" selected>' in html
    assert '<select name="pillar" class="form-select form-select-sm" id="id_pillar">' in html

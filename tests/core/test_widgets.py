"""The Python-written widgets give exactly the markup of Django's templates."""

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from core.widgets import FastSelect

CHOICES = [
    ("", "---------"),
    ("a", "Plain"),
    ("b&c", 'Needs <escaping> & "quotes"'),
    ("Group", [(1, "One"), (2, "Two")]),
    (3, gettext_lazy("Three")),
    (None, "None as a value"),
]


@pytest.mark.parametrize("value", [None, "", "a", "b&c", 2, "3", "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "form-select form-select-sm", "id": "id_x"},
        {"required": True, "disabled": False, "data-x": "<>"},
    ],
)
def test_fast_select_writes_the_same_markup_as_django_select(value, attrs):
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("field", value)
    written = FastSelect(attrs=attrs, choices=CHOICES).render("field", value)
    assert written == expected


@pytest.mark.django_db
def test_the_list_filter_form_renders_its_selects_without_templates(client, kominfo_admin, pillars):
    client.force_login(kominfo_admin)
    response = client.get("/usulan/", {"pillar": str(pillars[0].pk)})
    form = response.context["filter"].form
    assert all(type(field.widget) is not forms.Select for field in form.fields.values())
    assert f'<option value="{pillars[0].pk}" selected>' in response.content.decode()

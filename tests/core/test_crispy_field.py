"""The lean field template (templates/includes/crispy_field.html) draws what crispy-bootstrap5's field.html draws."""

import re

import pytest
from crispy_forms.layout import Column, Field, Fieldset, Row
from crispy_forms.utils import render_crispy_form
from django import forms

from core.forms import RupiahField, RupiahInput, layout_helper


def same_markup(html: str) -> str:
    """The markup with the whitespace around tags taken out (it differs between the two templates, not the page)."""
    return re.sub(r"\s+", " ", re.sub(r"\s*(<|>)\s*", r"\1", html)).strip()


class EveryKindForm(forms.Form):
    title = forms.CharField(max_length=20, help_text="Short and clear.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A"), ("b", "B")])
    grouped = forms.ChoiceField(required=False, choices=[("", "---------"), ("Group", [("x", "X"), ("y", "Y")])])
    year = forms.IntegerField(required=False, min_value=2020, max_value=2040)
    budget = RupiahField(required=False, min_value=0, widget=RupiahInput(), help_text="Whole Rupiah.")
    agreed = forms.BooleanField(required=False, help_text="Tick to agree.")
    colour = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[("r", "Red"), ("g", "Green")])
    days = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, choices=[("1", "Mon")])
    opds = forms.MultipleChoiceField(required=False, choices=[("1", "Dinkes"), ("2", "DLH")])
    file = forms.FileField(required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = layout_helper(
            Fieldset("The thing", "title", "note", Row(Column("kind"), Column("grouped"))),
            Row(Column("year", css_class="col-md-6"), Column("budget", css_class="col-md-6")),
            "agreed",
            "colour",
            "days",
            "opds",
            "file",
            Field("version"),
        )


def both_renderings(make_form) -> tuple[str, str]:
    lean, crispy = make_form(), make_form()
    crispy.helper.field_template = None  # crispy-bootstrap5's own bootstrap5/field.html
    return same_markup(render_crispy_form(lean)), same_markup(render_crispy_form(crispy))


BAD = {"title": "x" * 30, "kind": "nope", "grouped": "z", "year": "1999", "budget": "abc", "colour": "q"}


@pytest.mark.parametrize("data", [None, {"title": "Aplikasi", "kind": "a", "year": "2025", "budget": "1.250.000"}, BAD])
def test_every_kind_of_field_is_drawn_as_crispy_draws_it(data):
    def make():
        form = EveryKindForm(data)
        if data is not None:
            form.is_valid()
        return form

    lean, crispy = both_renderings(make)
    assert lean == crispy
    if data is BAD:
        assert 'class="textinput form-control is-invalid"' in lean and "invalid-feedback" in lean


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True])
def test_the_submission_form_is_drawn_as_crispy_draws_it(pillars, bound):
    from opd.forms import SubmissionForm

    def make():
        form = SubmissionForm({"title": "", "kind": "x", "budget": "abc", "pillar": "999"} if bound else None)
        if bound:
            form.is_valid()
        return form

    lean, crispy = both_renderings(make)
    assert lean == crispy
    assert 'class="select form-select' in lean

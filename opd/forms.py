from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import RupiahField, RupiahInput
from opd.models import Submission
from opd.models.submissions import FIRST_YEAR, LAST_YEAR, MAX_BUDGET
from opd.selectors import pillar_by_id
from pillars.models import Element, Pillar


def grouped_element_choices(pillar: Pillar | None = None) -> list:
    """Return element choices grouped by pillar (all pillars, or only the given one)."""
    elements = Element.objects.select_related("pillar")
    if pillar is not None:
        return [("", "---------")] + [(element.pk, element.name) for element in elements.filter(pillar=pillar)]
    groups: dict = {}
    for element in elements:
        groups.setdefault(element.pillar.name, []).append((element.pk, element.name))
    return [("", "---------"), *groups.items()]


class SubmissionForm(forms.ModelForm):
    """The content of a submission. A draft needs only its kind and title; sending checks the rest."""

    budget = RupiahField(
        label=capfirst(_("estimated budget (Rupiah)")),
        required=False,
        min_value=0,
        max_value=MAX_BUDGET,
        widget=RupiahInput(attrs={"inputmode": "numeric", "placeholder": "1.250.000.000"}),
        help_text=_("Whole Rupiah; dots between thousands are fine."),
    )
    start_year = forms.IntegerField(
        label=capfirst(_("proposed start year")), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    end_year = forms.IntegerField(
        label=capfirst(_("proposed end year")), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Submission
        fields = list(Submission.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "current_condition",
                "proposed_solution",
                "beneficiaries",
                "expected_output",
                "expected_outcome",
                "indicator",
                "related_system",
            ]
        }
        help_texts = {
            "current_condition": _("What happens today, and what problem the OPD or the public faces."),
            "proposed_solution": _("The application, service or innovation that would solve it."),
            # xgettext:no-python-format
            "indicator": _("How success will be measured, e.g. “90% of permits issued online”."),
            "related_system": _("Existing applications or systems this relates to (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *Submission._meta.get_field("kind").choices]
        self.fields["pillar"].queryset = Pillar.objects.all()
        pillar = self._chosen_pillar()
        self.fields["element"].queryset = Element.objects.all()
        self.fields["element"].choices = grouped_element_choices(pillar)
        self.fields["pillar"].widget.attrs.update(
            {
                "hx-get": reverse("submissions:element_options"),
                "hx-target": "#id_element",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("The submission"), "kind", "title", "pillar", "element"),
            Fieldset(_("Condition and solution"), "current_condition", "proposed_solution", "beneficiaries"),
            Fieldset(_("Expected results"), "expected_output", "expected_outcome", "indicator"),
            Fieldset(
                _("Timing and cost"),
                Row(Column("horizon", css_class="col-md-6"), Column("priority", css_class="col-md-6")),
                Row(Column("start_year", css_class="col-md-6"), Column("end_year", css_class="col-md-6")),
                Row(Column("budget", css_class="col-md-6"), Column("funding_source", css_class="col-md-6")),
            ),
            Fieldset(_("Other"), "related_system", Field("version")),
        )

    def _chosen_pillar(self) -> Pillar | None:
        return pillar_by_id(self.data.get("pillar") if self.is_bound else self.instance.pillar_id)

    def clean(self):
        data = super().clean()
        pillar, element = data.get("pillar"), data.get("element")
        if element is not None:
            if pillar is None:
                data["pillar"] = element.pillar
            elif element.pillar_id != pillar.pk:
                self.add_error(
                    "element",
                    _("This element belongs to %(pillar)s, not to the chosen pillar.")
                    % {"pillar": element.pillar.name},
                )
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return data

    def content(self) -> dict:
        """Return the cleaned content fields, ready for the services."""
        return {
            name: self.cleaned_data.get(name) if self.cleaned_data.get(name) is not None else self._empty(name)
            for name in self.Meta.fields
        }

    @staticmethod
    def _empty(name: str):
        field = Submission._meta.get_field(name)
        return None if field.null else ""


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None, required=False, empty_label=_("— nobody —"))

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers

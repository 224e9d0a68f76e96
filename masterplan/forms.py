from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField, RupiahField, RupiahInput, TextLimits
from opd.models import Opd, Submission
from opd.models.submissions import MAX_BUDGET
from pillars.models import Element

from .models import Masterplan, PillarAnalysis, Programme

TEXTAREA = forms.Textarea(attrs={"rows": 3})
TARGET_MAX_LENGTH = 200  # ProgrammeTarget.output_target / outcome_target


class MasterplanForm(TextLimits, forms.ModelForm):
    # Some pages each: the regulation basis lists dozens of regulations, one per line.
    default_text_limit = 10_000

    class Meta:
        model = Masterplan
        fields = list(Masterplan.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in ["vision", "missions", "targets", "regulation_basis"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Masterplan"), "title", Row(Column("start_year"), Column("end_year"), Column("short_term_end_year"))
            ),
            Fieldset(_("Vision, missions and targets"), "vision", "missions", "targets"),
            Fieldset(_("Regulation basis"), "regulation_basis"),
        )

    def clean(self):
        data = super().clean()
        start, end, short = data.get("start_year"), data.get("end_year"), data.get("short_term_end_year")
        if start and end and end <= start:
            self.add_error("end_year", _("The last year must come after the first year."))
        if start and end and short and not start <= short < end:
            self.add_error("short_term_end_year", _("The short term must end inside the period, before its last year."))
        return data


class AnalysisForm(TextLimits, forms.ModelForm):
    class Meta:
        model = PillarAnalysis
        fields = [
            "structure_condition",
            "structure_gap",
            "structure_score",
            "infrastructure_condition",
            "infrastructure_gap",
            "infrastructure_score",
            "superstructure_condition",
            "superstructure_gap",
            "superstructure_score",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "strategy",
        ]
        widgets = {name: TEXTAREA for name in fields if not name.endswith("_score")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Structure (people, budget, governance)"), "structure_condition", "structure_gap", "structure_score"
            ),
            Fieldset(
                _("Infrastructure (physical, ICT, social)"),
                "infrastructure_condition",
                "infrastructure_gap",
                "infrastructure_score",
            ),
            Fieldset(
                _("Superstructure (policy, regulation, institutions)"),
                "superstructure_condition",
                "superstructure_gap",
                "superstructure_score",
            ),
            Fieldset(
                _("SWOT"),
                Row(Column("strengths"), Column("weaknesses")),
                Row(Column("opportunities"), Column("threats")),
            ),
            Fieldset(_("Strategy"), "strategy"),
        )


class ProgrammeForm(TextLimits, forms.ModelForm):
    budget = RupiahField(
        label=_("Estimated budget (Rupiah)"),
        min_value=0,
        max_value=MAX_BUDGET,
        widget=RupiahInput(attrs={"inputmode": "numeric", "placeholder": "1.250.000.000"}),
    )
    # The programme's version when the form was opened (see services.programme_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = [
            "title",
            "element",
            "description",
            "submissions",
            "lead_opd",
            "supporting_opds",
            "start_year",
            "end_year",
            "output_indicator",
            "outcome_indicator",
            "budget",
            "funding_source",
            "is_quick_win",
        ]
        widgets = {
            "description": TEXTAREA,
            "output_indicator": TEXTAREA,
            "outcome_indicator": TEXTAREA,
            "submissions": forms.CheckboxSelectMultiple,
            "supporting_opds": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"submissions": IdMultipleChoiceField, "supporting_opds": IdMultipleChoiceField}

    def __init__(self, *args, masterplan, submission_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.masterplan = masterplan
        self.fields["element"].queryset = Element.objects.select_related("pillar")
        self.fields["element"].label_from_instance = lambda element: f"{element.pillar.name} · {element.name}"
        self.fields["submissions"].queryset = submission_choices
        self.fields["submissions"].label_from_instance = lambda s: f"{s.reference} · {s.title} ({s.opd.short_name})"
        self.fields["submissions"].required = False
        self.fields["lead_opd"].queryset = Opd.objects.filter(is_active=True)
        self.fields["supporting_opds"].queryset = Opd.objects.filter(is_active=True)
        self.fields["supporting_opds"].required = False
        years = [(year, str(year)) for year in masterplan.years]
        self.fields["start_year"] = forms.TypedChoiceField(label=_("Start year"), choices=years, coerce=int)
        self.fields["end_year"] = forms.TypedChoiceField(label=_("End year"), choices=years, coerce=int)
        self.target_years = masterplan.years
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Programme"), "title", "element", "description", "submissions"),
            Fieldset(_("Who"), Row(Column("lead_opd"), Column("supporting_opds"))),
            Fieldset(
                _("When and how much"),
                Row(Column("start_year"), Column("end_year")),
                Row(Column("budget"), Column("funding_source")),
                "is_quick_win",
            ),
            Fieldset(_("Indicators"), "output_indicator", "outcome_indicator"),
            "version",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        for year in self.target_years:
            values = [self.data.get(f"target_{kind}_{year}") or "" for kind in ("output", "outcome")]
            if any("\x00" in value or len(value.strip()) > TARGET_MAX_LENGTH for value in values):
                self.add_error(
                    None,
                    _("The targets for %(year)d must be plain text of at most %(limit)d characters.")
                    % {"year": year, "limit": TARGET_MAX_LENGTH},
                )
        return data

    def targets(self, post) -> dict:
        """Return the yearly targets typed in the table: {year: (output target, outcome target)}."""
        targets = {}
        for year in self.target_years:
            output = (post.get(f"target_output_{year}") or "").strip()[:TARGET_MAX_LENGTH]
            outcome = (post.get(f"target_outcome_{year}") or "").strip()[:TARGET_MAX_LENGTH]
            if output or outcome:
                targets[year] = (output, outcome)
        return targets


def programme_initial_from(submissions: list[Submission]) -> dict:
    """Suggest a programme's fields from the submissions it is made of."""
    if not submissions:
        return {}
    first = submissions[0]
    years = [s.start_year for s in submissions if s.start_year] or [None]
    ends = [s.end_year for s in submissions if s.end_year] or [None]
    return {
        "title": first.title,
        "element": first.element_id,
        "description": "\n\n".join(s.proposed_solution for s in submissions if s.proposed_solution),
        "submissions": [s.pk for s in submissions],
        "lead_opd": first.opd_id,
        "supporting_opds": sorted({s.opd_id for s in submissions[1:]} - {first.opd_id}),
        "start_year": min(y for y in years if y) if any(years) else None,
        "end_year": max(e for e in ends if e) if any(ends) else None,
        "output_indicator": first.expected_output,
        "outcome_indicator": first.indicator,
        "budget": sum(s.budget or 0 for s in submissions),
        "funding_source": first.funding_source,
        "is_quick_win": all(s.horizon == "quick_win" for s in submissions),
    }

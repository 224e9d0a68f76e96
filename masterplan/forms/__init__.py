"""The masterplan's forms: its own row, the analysis per pillar, and (in `programmes`) the programme with its parts."""

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TextLimits, layout_helper

from ..models import Masterplan, PillarAnalysis

TEXTAREA = forms.Textarea(attrs={"rows": 3})


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
        self.fields["quick_win_years"].required = False  # left out: the masterplan keeps its window (default 1)
        self.helper = layout_helper(
            Fieldset(
                _("Masterplan"),
                "title",
                Row(Column("start_year"), Column("end_year")),
                Row(Column("short_term_end_year"), Column("medium_term_end_year"), Column("quick_win_years")),
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
        if data.get("quick_win_years") in (None, ""):
            data["quick_win_years"] = self.instance.quick_win_years or 1
        medium = data.get("medium_term_end_year")
        if medium and short and end and not short < medium < end:
            self.add_error(
                "medium_term_end_year",
                _("The medium term must end after the short term and before the last year of the period."),
            )
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
            "so_strategy",
            "wo_strategy",
            "st_strategy",
            "wt_strategy",
        ]
        widgets = {name: TEXTAREA for name in fields if not name.endswith("_score")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = layout_helper(
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
            Fieldset(
                _("SWOT strategy matrix"),
                Row(Column("so_strategy"), Column("wo_strategy")),
                Row(Column("st_strategy"), Column("wt_strategy")),
            ),
            Fieldset(_("Strategy"), "strategy"),
        )


from .programmes import (  # noqa: E402 - the programme forms build on the ones above
    BudgetFormSet,
    IndicatorFormSet,
    ProgrammeForm,
    budget_initial,
    budgets_from,
    indicator_initial,
    indicators_from,
    initial_parts_from,
    programme_initial_from,
)

__all__ = [
    "AnalysisForm",
    "BudgetFormSet",
    "IndicatorFormSet",
    "MasterplanForm",
    "ProgrammeForm",
    "budget_initial",
    "budgets_from",
    "indicator_initial",
    "indicators_from",
    "initial_parts_from",
    "programme_initial_from",
]

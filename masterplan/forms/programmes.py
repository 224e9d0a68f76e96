"""The programme form with its two formsets: the indicators (numeric target per year) and the budget rows."""

from decimal import Decimal

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField, RupiahField, RupiahInput, TextLimits, layout_helper
from opd.models import FundingSource, Opd, Submission
from opd.models.submissions import MAX_BUDGET
from pillars.models import Element

from ..models import Indicator, Programme, RpjmdMission, quick_win_message
from ..models.programmes import MAX_BUDGET_ROWS, MAX_INDICATOR_VALUE, MAX_INDICATORS
from ..services.programme_parts import IndicatorData
from .rows import CheckedRowsFormSet, checked_formset

TEXTAREA = forms.Textarea(attrs={"rows": 3})
# Blank rows offered beyond the saved ones: enough for a new programme without JavaScript.
EXTRA_INDICATORS = 2
EXTRA_BUDGET_ROWS = 3


def _number_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=18,
        decimal_places=2,
        max_value=MAX_INDICATOR_VALUE - 1,
        min_value=-(MAX_INDICATOR_VALUE - 1),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control-sm"}),
    )


class ProgrammeForm(TextLimits, forms.ModelForm):
    # The programme's version when the form was opened (see services.programme_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Programme
        fields = [
            "title",
            "element",
            "rpjmd_code",
            "description",
            "submissions",
            "lead_opd",
            "supporting_opds",
            "rpjmd_missions",
            "start_year",
            "end_year",
            "is_quick_win",
        ]
        widgets = {
            "description": TEXTAREA,
            "submissions": forms.CheckboxSelectMultiple,
            "supporting_opds": forms.SelectMultiple(
                attrs={"size": 8, "data-searchable": "true", "data-search-placeholder": _("Search OPDs…")}
            ),
            "rpjmd_missions": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "submissions": IdMultipleChoiceField,
            "supporting_opds": IdMultipleChoiceField,
            "rpjmd_missions": IdMultipleChoiceField,
        }

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
        self.fields["rpjmd_missions"].queryset = RpjmdMission.objects.filter(rpjmd__masterplan=masterplan)
        self.fields["rpjmd_missions"].label_from_instance = lambda mission: f"{mission.number}. {mission.text}"
        self.fields["rpjmd_missions"].required = False
        years = [(year, str(year)) for year in masterplan.years]
        self.fields["start_year"] = forms.TypedChoiceField(label=_("Start year"), choices=years, coerce=int)
        self.fields["end_year"] = forms.TypedChoiceField(label=_("End year"), choices=years, coerce=int)
        self.fields["is_quick_win"].help_text = _("A Quick Win must be finished by %(last)d.") % {
            "last": masterplan.quick_win_last_year
        }
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = layout_helper(
            Fieldset(_("Programme"), "title", Row(Column("element"), Column("rpjmd_code")), "description"),
            Fieldset(_("Source submissions"), "submissions"),
            Fieldset(_("Responsible OPDs"), Row(Column("lead_opd"), Column("supporting_opds"))),
            Fieldset(_("RPJMD alignment"), "rpjmd_missions"),
            Fieldset(_("When"), Row(Column("start_year"), Column("end_year")), "is_quick_win"),
            "version",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        if data.get("is_quick_win") and end and end > self.masterplan.quick_win_last_year:
            self.add_error(
                "is_quick_win", quick_win_message(self.masterplan.start_year, self.masterplan.quick_win_last_year)
            )
        return data


class IndicatorForm(TextLimits, forms.Form):
    """One indicator of the programme; its yearly targets are one number field per year of the masterplan."""

    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices, initial=Indicator.Kind.OUTPUT)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline_value = _number_field(_("Baseline value"))
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False, min_value=1990, max_value=2050)
    data_source = forms.CharField(label=_("Data source"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = _number_field(_("Target %(year)d") % {"year": year})

    def target_fields(self):
        return [(year, self[f"target_{year}"]) for year in self.years]

    def clean(self):
        data = super().clean()
        filled = any(data.get(f"target_{year}") is not None for year in self.years) or any(
            data.get(name) not in (None, "") for name in ("unit", "baseline_value", "data_source", "note")
        )
        if filled and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the indicator a name, or clear its row."))
        return data


class BudgetRowForm(forms.Form):
    """One budget row: a year, a funding source and an amount in Rupiah."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(label=_("Funding source"), required=False)
    amount = RupiahField(
        label=_("Amount (Rupiah)"),
        required=False,
        min_value=0,
        max_value=MAX_BUDGET,
        widget=RupiahInput(attrs={"inputmode": "numeric", "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "–"), *[(year, str(year)) for year in years]]
        self.fields["source"].choices = [("", "–"), *FundingSource.choices]
        for name in ("year", "source"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for field in self.fields.values():  # the table's column heads are the visible labels
            field.widget.attrs["aria-label"] = str(field.label)

    def clean(self):
        data = super().clean()
        parts = [data.get("year"), data.get("source"), data.get("amount")]
        if any(part not in (None, "", 0) for part in parts) and not all(part not in (None, "") for part in parts):
            self.add_error(None, _("A budget row needs a year, a funding source and an amount (or leave it empty)."))
        return data


class _YearsFormSet(CheckedRowsFormSet):
    def __init__(self, *args, years: list[int], **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "years": self.years}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            years=self.years,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


IndicatorFormSet = checked_formset(IndicatorForm, formset=_YearsFormSet, extra=EXTRA_INDICATORS, max_num=MAX_INDICATORS)
BudgetFormSet = checked_formset(BudgetRowForm, formset=_YearsFormSet, extra=EXTRA_BUDGET_ROWS, max_num=MAX_BUDGET_ROWS)


def indicators_from(formset, start: int, end: int) -> list[IndicatorData]:
    """Return the indicators typed in a valid formset (empty rows out; targets only of the years start..end).

    Targets typed for years outside the programme (still in the form, hidden) are dropped, as the form says.
    """
    indicators = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not (data.get("name") or "").strip():
            continue
        indicators.append(
            IndicatorData(
                name=data["name"],
                kind=data.get("kind") or Indicator.Kind.OUTPUT,
                unit=data.get("unit") or "",
                baseline_value=data.get("baseline_value"),
                baseline_year=data.get("baseline_year"),
                data_source=data.get("data_source") or "",
                note=data.get("note") or "",
                targets={
                    year: Decimal(data[f"target_{year}"])
                    for year in form.years
                    if start <= year <= end and data.get(f"target_{year}") is not None
                },
            )
        )
    return indicators


def budgets_from(formset) -> dict[tuple[int, str], int]:
    """Return {(year, source): Rupiah} from a valid formset; two rows of the same year and source add up."""
    budgets: dict[tuple[int, str], int] = {}
    for form in formset.forms:
        data = form.cleaned_data
        if data and data.get("year") and data.get("source") and data.get("amount"):
            key = (data["year"], data["source"])
            budgets[key] = budgets.get(key, 0) + data["amount"]
    return budgets


def indicator_initial(programme: Programme) -> list[dict]:
    """Return the saved indicators as the formset's initial rows."""
    return [
        {
            "name": indicator.name,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "baseline_value": indicator.baseline_value,
            "baseline_year": indicator.baseline_year,
            "data_source": indicator.data_source,
            "note": indicator.note,
            **{f"target_{target.year}": target.value for target in indicator.targets.all()},
        }
        for indicator in programme.indicators.prefetch_related("targets")
    ]


def budget_initial(programme: Programme) -> list[dict]:
    """Return the saved budgets as the formset's initial rows."""
    return [
        {"year": budget.year, "source": budget.source, "amount": budget.amount}
        for budget in programme.budgets.order_by("year", "source")
    ]


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
        "is_quick_win": all(s.horizon == "quick_win" for s in submissions),
    }


def initial_parts_from(submissions: list[Submission]) -> tuple[list[dict], list[dict]]:
    """Suggest the indicator rows and budget rows from the submissions (their budget on their start year)."""
    indicators = [
        {"name": text[:300], "kind": kind}
        for submission in submissions[:1]
        for kind, text in (
            (Indicator.Kind.OUTPUT, submission.expected_output),
            (Indicator.Kind.OUTCOME, submission.indicator),
        )
        if text.strip()
    ]
    budgets = [
        {"year": submission.start_year, "source": submission.funding_source, "amount": submission.budget}
        for submission in submissions
        if submission.budget and submission.start_year and submission.funding_source
    ]
    return indicators, budgets

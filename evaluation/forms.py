"""The forms of monitoring and evaluation: periods, reopenings, a programme's report, a supporting part."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RupiahField, RupiahInput
from opd.models.submissions import MAX_BUDGET

from .models.reports import MAX_REALISED_VALUE, ProgressStatus
from .services.reports import MAX_TEXT_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodOpenForm(forms.Form):
    masterplan = forms.ModelChoiceField(label=_("Masterplan (final)"), queryset=None)
    year = forms.IntegerField(label=_("Year reported on"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, masterplans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["masterplan"].queryset = masterplans


class ReopenForm(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=None)
    deadline = forms.DateField(label=_("New deadline for this OPD"), widget=DateInput())
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, opds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds


class ReportForm(forms.Form):
    """The report's content with one field per indicator target and per planned budget line of the year."""

    progress_status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *ProgressStatus.choices], required=False)
    progress_percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    obstacles = forms.CharField(
        label=_("Obstacles"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT_LENGTH, required=False
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT_LENGTH, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets=(), budgets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets, self.budgets = list(targets), list(budgets)
        for target in self.targets:
            indicator = target.indicator
            unit = f" ({indicator.unit})" if indicator.unit else ""
            self.fields[f"realised_{target.pk}"] = forms.DecimalField(
                label=f"{indicator.name}{unit}",
                min_value=0,
                max_value=MAX_REALISED_VALUE,
                max_digits=18,
                decimal_places=4,
                localize=True,
                required=False,
            )
        for budget in self.budgets:
            self.fields[f"spent_{budget.pk}"] = RupiahField(
                label=budget.get_source_display(),
                min_value=0,
                max_value=MAX_BUDGET,
                required=False,
                widget=RupiahInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"spent_note_{budget.pk}"] = forms.CharField(
                label=_("Note (needed above the plan)"), max_length=1000, required=False
            )

    def target_fields(self):
        """Return (target, bound field) pairs, in the indicators' order."""
        return [(target, self[f"realised_{target.pk}"]) for target in self.targets]

    def budget_fields(self):
        """Return (budget, amount field, note field) triples."""
        return [(budget, self[f"spent_{budget.pk}"], self[f"spent_note_{budget.pk}"]) for budget in self.budgets]

    def service_arguments(self) -> dict:
        """Return the cleaned data as report_update takes it."""
        data = self.cleaned_data
        return {
            "data": {
                name: data.get(name) for name in ("progress_status", "progress_percent", "obstacles", "follow_up")
            },
            "realised": {target.pk: data.get(f"realised_{target.pk}") for target in self.targets},
            "spent": {
                budget.pk: (data.get(f"spent_{budget.pk}"), data.get(f"spent_note_{budget.pk}", ""))
                for budget in self.budgets
            },
            "expected_version": data.get("version"),
        }


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("What your OPD did for the programme this year"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT_LENGTH,
    )

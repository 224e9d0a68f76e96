"""The forms of the masterplan's parts, one per page of its task list."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import RupiahField, RupiahInput, TextLimits
from opd.models import Opd

from ..models import GovernanceBody, Masterplan, RegionProfile, Rpjmd
from ..models.region import MAX_BODY_MEMBERS, MAX_GRDP, MAX_RPJMD_INDICATORS, MAX_RPJMD_MISSIONS, PROFILE_RANGES
from .rows import CheckedRowsFormSet, checked_formset

LONG_TEXT = forms.Textarea(attrs={"rows": 6})


class MasterplanPartForm(TextLimits, forms.ModelForm):
    default_text_limit = 20_000  # a foreword or a summary: a few pages
    """Some fields of the masterplan's own row; every field of the part is required, as the book needs it."""

    required_fields: tuple[str, ...] = ()

    class Meta:
        model = Masterplan
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True


class FrontMatterForm(MasterplanPartForm):
    required_fields = Masterplan.FRONT_MATTER_FIELDS

    class Meta:
        model = Masterplan
        fields = list(Masterplan.FRONT_MATTER_FIELDS)
        widgets = dict.fromkeys(Masterplan.FRONT_MATTER_FIELDS, LONG_TEXT)


class ExecutiveSummaryForm(MasterplanPartForm):
    required_fields = ("executive_summary",)

    class Meta:
        model = Masterplan
        fields = ["executive_summary"]
        widgets = {"executive_summary": forms.Textarea(attrs={"rows": 16})}


class AdoptionForm(MasterplanPartForm):
    required_fields = Masterplan.ADOPTION_FIELDS

    class Meta:
        model = Masterplan
        fields = list(Masterplan.ADOPTION_FIELDS)
        widgets = {"regulation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class EmblemForm(MasterplanPartForm):
    required_fields = ("emblem",)

    class Meta:
        model = Masterplan
        fields = ["emblem"]
        widgets = {"emblem": forms.FileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"})}


def _decimal(name: str, label) -> forms.DecimalField:
    low, high = PROFILE_RANGES[name]
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class ProfileForm(TextLimits, forms.ModelForm):
    """The region profile: numbers checked against the same ranges as the database's constraints."""

    REQUIRED = ("area_km2", "kecamatan_count", "desa_count", "kelurahan_count", "population", "population_year")

    area_km2 = _decimal("area_km2", _("area (km²)"))
    grdp = RupiahField(
        label=_("GRDP (Rupiah)"),
        required=False,
        min_value=0,
        max_value=MAX_GRDP,
        widget=RupiahInput(attrs={"inputmode": "numeric"}),
    )
    grdp_growth = _decimal("grdp_growth", _("economic growth (%)"))
    hdi = _decimal("hdi", _("human development index (IPM)"))
    poverty_rate = _decimal("poverty_rate", _("poverty rate (%)"))
    internet_coverage = _decimal("internet_coverage", _("internet coverage (% of desa/kelurahan)"))

    class Meta:
        model = RegionProfile
        fields = [
            "area_km2",
            "kecamatan_count",
            "desa_count",
            "kelurahan_count",
            "area_source",
            "population",
            "population_year",
            "population_source",
            "grdp",
            "grdp_growth",
            "grdp_year",
            "grdp_source",
            "hdi",
            "hdi_year",
            "hdi_source",
            "poverty_rate",
            "poverty_rate_year",
            "poverty_rate_source",
            "internet_coverage",
            "internet_coverage_year",
            "has_data_centre",
            "has_command_centre",
            "application_count",
            "application_count_year",
            "ict_source",
            "narrative",
        ]
        widgets = {"narrative": LONG_TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in PROFILE_RANGES and type(field) is forms.IntegerField:  # counts and years; not Rupiah
                low, high = PROFILE_RANGES[name]
                field.validators = [*field.validators, MinValueValidator(low), MaxValueValidator(high)]
        for name in (*self.REQUIRED, "narrative"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        for figure, year in (
            ("grdp", "grdp_year"),
            ("hdi", "hdi_year"),
            ("poverty_rate", "poverty_rate_year"),
            ("internet_coverage", "internet_coverage_year"),
            ("application_count", "application_count_year"),
        ):
            if data.get(figure) is not None and not data.get(year):
                self.add_error(year, _("Give the year of this figure."))
        return data


class RpjmdForm(TextLimits, forms.ModelForm):
    class Meta:
        model = Rpjmd
        fields = ["start_year", "end_year", "regulation", "vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return data


class MissionForm(TextLimits, forms.Form):
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=99, required=False)
    text = forms.CharField(label=_("mission"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("text", "").strip() and not data.get("number"):
            self.add_error("number", _("Number the mission as the RPJMD does."))
        return data


class IkuForm(forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("unit"), max_length=50, required=False)
    baseline = forms.DecimalField(label=_("baseline"), required=False, max_digits=18, decimal_places=2, localize=True)
    target = forms.DecimalField(label=_("target"), required=False, max_digits=18, decimal_places=2, localize=True)
    year = forms.IntegerField(label=_("target year"), required=False, min_value=1990, max_value=2050)

    def clean(self):
        data = super().clean()
        if (data.get("name") or "").strip():
            for name in ("unit", "target", "year"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Needed for each key indicator."))
        return data


MissionFormSet = checked_formset(MissionForm, extra=2, max_num=MAX_RPJMD_MISSIONS)
IkuFormSet = checked_formset(IkuForm, extra=2, max_num=MAX_RPJMD_INDICATORS)


class GovernanceBodyForm(forms.ModelForm):
    class Meta:
        model = GovernanceBody
        fields = ["decree_number", "decree_date"]
        widgets = {"decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decree_number"].required = True


class MemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    role_in_body = forms.CharField(label=_("role in the body"), max_length=200, required=False)
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.none(), required=False)
    outside_party = forms.CharField(label=_("or outside party"), max_length=200, required=False)

    def __init__(self, *args, opds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds if opds is not None else Opd.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if (data.get("name") or "").strip():
            for name in ("position", "role_in_body"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Needed for each member."))
            if data.get("opd") and (data.get("outside_party") or "").strip():
                self.add_error("outside_party", _("Choose an OPD or write an outside party, not both."))
            if not data.get("opd") and not (data.get("outside_party") or "").strip():
                self.add_error("opd", _("Choose the member's OPD, or write the outside party."))
        return data


class _MemberFormSet(CheckedRowsFormSet):
    def __init__(self, *args, **kwargs):
        self.opds = Opd.objects.filter(is_active=True).order_by("name")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "opds": self.opds}


MemberFormSet = checked_formset(MemberForm, formset=_MemberFormSet, extra=3, max_num=MAX_BODY_MEMBERS)


def filled_rows(formset, key: str) -> list[dict]:
    """Return the cleaned rows of a valid formset that have `key` filled in."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and form.cleaned_data.get(key)]

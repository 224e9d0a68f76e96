"""Forms of the inventory, the catalogue, the import and the links."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opd.models import Opd

from .models import Application, ArchitectureDomain, Dataset, DatasetRole

CHECKBOXES = forms.CheckboxSelectMultiple


class ApplicationForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("SPBE architecture domains"), choices=ArchitectureDomain.choices, widget=CHECKBOXES, required=False
    )
    opd = forms.ModelChoiceField(label=_("Owner OPD"), queryset=Opd.objects.filter(is_active=True), required=True)
    url = forms.URLField(label=_("Address (URL)"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Application
        fields = ["opd", "name", "purpose", "kind", "status", "users", "hosting", "url", "integrations"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "integrations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, choose_opd: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_opd:
            del self.fields["opd"]
        if self.instance.pk:
            self.initial.setdefault("domains", list(self.instance.domains.values_list("domain", flat=True)))
            self.fields["integrations"].queryset = Application.objects.exclude(pk=self.instance.pk).select_related(
                "opd"
            )
        else:
            self.fields["integrations"].queryset = Application.objects.select_related("opd")
        self.fields["integrations"].label_from_instance = lambda app: f"{app.name} ({app.opd.short_name})"

    def validate_unique(self):
        """Leave the one-name-per-OPD rule to the service, which says it in words."""


class DatasetForm(forms.ModelForm):
    producer = forms.ModelChoiceField(label=_("Producer OPD"), queryset=Opd.objects.filter(is_active=True))

    class Meta:
        model = Dataset
        fields = [
            "producer", "title", "description", "custodian", "frequency", "unit", "level", "format",
            "reference_codes", "status", "applications",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "applications": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, choose_opd: bool, user_opd_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_opd:
            del self.fields["producer"]
        applications = Application.objects.select_related("opd")
        if user_opd_id is not None:
            applications = applications.filter(opd_id=user_opd_id)
        self.fields["applications"].queryset = applications
        self.fields["applications"].label_from_instance = lambda app: f"{app.name} ({app.opd.short_name})"

    def validate_unique(self):
        """Leave the one-title-per-OPD rule to the service, which says it in words."""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ProposeApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name of the new application"), max_length=200)
    purpose = forms.CharField(label=_("What it is for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    kind = forms.ChoiceField(label=_("Kind"), choices=Application.Kind.choices)
    domains = forms.MultipleChoiceField(
        label=_("SPBE architecture domains"), choices=ArchitectureDomain.choices, widget=CHECKBOXES, required=False
    )


class LinkApplicationForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=Application.objects.none())

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda app: f"{app.name} ({app.opd.short_name})"


class LinkDatasetForm(forms.Form):
    dataset = forms.ModelChoiceField(label=_("Dataset"), queryset=Dataset.objects.none())
    role = forms.ChoiceField(label=_("The work"), choices=DatasetRole.choices)

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        self.fields["dataset"].label_from_instance = lambda dataset: f"{dataset.title} ({dataset.producer.short_name})"


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes on related applications and systems"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class DomainsForm(forms.Form):
    domains = forms.MultipleChoiceField(
        label=_("SPBE domains it strengthens"), choices=ArchitectureDomain.choices, widget=CHECKBOXES, required=False
    )

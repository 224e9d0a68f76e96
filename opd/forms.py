import re

from crispy_forms.layout import Column, Field, Fieldset, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField, RupiahField, RupiahInput, TextLimits, layout_helper
from opd.models import Submission, User
from opd.models.submissions import FIRST_YEAR, LAST_YEAR, MAX_BUDGET
from opd.quick_wins import quick_win_error
from opd.selectors import pillar_by_id
from opd.services.attachments import ALLOWED_LABELS, validate_upload
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


class SubmissionForm(TextLimits, forms.ModelForm):
    """The content of a submission. A draft needs only its kind and title; sending checks the rest."""

    # About two pages of text for what the OPD describes (the systems it relates to are links in spbe).
    default_text_limit = 5000

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
            ]
        }
        help_texts = {
            "current_condition": _("What happens today, and what problem the OPD or the public faces."),
            "proposed_solution": _("The application, service or innovation that would solve it."),
            # xgettext:no-python-format
            "indicator": _("How success will be measured, e.g. “90% of permits issued online”."),
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
        self.helper = layout_helper(
            Fieldset(_("The submission"), "kind", "title", "pillar", "element"),
            Fieldset(_("Condition and solution"), "current_condition", "proposed_solution", "beneficiaries"),
            Fieldset(_("Expected results"), "expected_output", "expected_outcome", "indicator"),
            Fieldset(
                _("Timing and cost"),
                Row(Column("horizon", css_class="col-md-6"), Column("priority", css_class="col-md-6")),
                Row(Column("start_year", css_class="col-md-6"), Column("end_year", css_class="col-md-6")),
                Row(Column("budget", css_class="col-md-6"), Column("funding_source", css_class="col-md-6")),
            ),
            Field("version"),
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
        late = quick_win_error(data.get("horizon") or "", start, end)
        if late:
            self.add_error("horizon", late)
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


def evidence_limits() -> dict:
    """Return the limits on evidence files, as the forms show them before anything is uploaded."""
    return {
        "types": ALLOWED_LABELS,
        "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "per_upload": settings.ATTACHMENT_MAX_PER_UPLOAD,
        "per_submission": settings.ATTACHMENT_MAX_COUNT,
    }


class EvidenceForm(forms.Form):
    """Evidence files (data dukung) sent with the submission form or from the check page, all checked first.

    Each file gets the attachment service's own checks (content type, size); the service checks them again
    as it stores each one.
    """

    files = MultipleFileField(label=_("Files to attach"), required=False)

    def __init__(self, *args, already_attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.already_attached = already_attached
        self.fields["files"].help_text = (
            _(
                "%(types)s; at most %(max_mb)d MB each and %(per_upload)d files at a time, "
                "%(per_submission)d files per submission. The content of each file is checked, not its name."
            )
            % evidence_limits()
        )
        self.fields["files"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        limits = evidence_limits()
        if len(uploads) > limits["per_upload"]:
            raise ValidationError(
                _("Choose at most %(per_upload)d files at a time (you chose %(count)d); nothing was attached.")
                % {"per_upload": limits["per_upload"], "count": len(uploads)}
            )
        room = max(limits["per_submission"] - self.already_attached, 0)
        if len(uploads) > room:
            raise ValidationError(
                _("A submission can have at most %(count)d attachments; there is room for %(room)d more.")
                % {"count": limits["per_submission"], "room": room}
            )
        errors = []
        for upload in uploads:
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None, required=False, empty_label=_("— nobody —"))

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


# --- OPDs and accounts ----------------------------------------------------------------------------------------

MAX_OPD_CSV_BYTES = 1024 * 1024


class OpdImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: code, name, short_name, kind and optionally is_active; UTF-8 encoded."),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_OPD_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; an OPD list is much smaller."))
        return upload


class OperatorForm(forms.ModelForm):
    """A new operator account of an OPD: who it is; the person sets their own password through a one-time link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        help_texts = {
            "username": _("Letters, digits and . _ - only, e.g. operator.dinkes. The person logs in with it."),
            "email": _("Optional: the person's work address."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["username"].max_length = 60
        self.fields["username"].widget.attrs.update({"maxlength": 60, "autocomplete": "off"})

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[A-Za-z0-9._-]+", username):
            raise forms.ValidationError(_("Use only letters, digits and . _ - (no spaces)."))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("The username “%(username)s” is taken.") % {"username": username})
        return username

    def validate_unique(self):
        """The service checks the username again under its lock; the OPD's staff constraint is the service's."""

    def _post_clean(self):
        # The account's role and OPD are set by the service; the model's own clean() would refuse it without them.
        pass

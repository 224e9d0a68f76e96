"""Forms of the Bimtek: stages and sessions (Kominfo), participants (OPD staff), the attendance screen and
the phone check-in. Names and positions are trimmed and length-limited; a NIP is 18 digits."""

import re

from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField, TextLimits, layout_helper
from opd.models import Opd
from opd.models.submissions import FIRST_YEAR, LAST_YEAR

from .models import (
    CHECKIN_CODE_ALPHABET,
    CHECKIN_CODE_LENGTH,
    NAME_MAX_LENGTH,
    NIP_PATTERN,
    POSITION_MAX_LENGTH,
    Participant,
    Stage,
)
from .selectors import RowState, SheetRow
from .services.attendance import RowEntry
from .services.participants import REASON_MAX_LENGTH

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NIP_HELP = _("18 digits, as on the civil servant's card; spaces are ignored.")


class NipField(forms.CharField):
    """A civil servant's NIP: 18 digits, typed with or without the usual spaces."""

    default_error_messages = {"invalid": _("A NIP has exactly 18 digits, e.g. 198503122010011004.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIP"))
        kwargs.setdefault("help_text", NIP_HELP)
        kwargs.setdefault("max_length", 40)  # room for the spaces people type between the groups
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        nip = re.sub(r"[ .\-]", "", value)
        if not re.match(NIP_PATTERN, nip):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return nip


def _in_range(form, *names) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            form.add_error(
                name, _("Choose a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )


class StageForm(TextLimits, forms.ModelForm):
    meeting_link = forms.URLField(
        label=_("Meeting link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Needed online and hybrid."),
    )
    invited_opds = IdMultipleChoiceField(
        label=_("Invited OPDs"),
        queryset=Opd.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every active OPD is invited unless you untick it."),
    )

    class Meta:
        model = Stage
        fields = ["number", "theme", "start_date", "end_date", "mode", "place", "meeting_link", "speakers"]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "mode": forms.RadioSelect,
            "speakers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invited = self.instance.invited_opds.all() if self.instance.pk else Opd.objects.none()
        self.fields["invited_opds"].queryset = (
            (Opd.objects.filter(is_active=True) | invited).distinct().order_by("name")
        )
        self.fields["invited_opds"].initial = (
            list(invited.values_list("pk", flat=True))
            if self.instance.pk
            else list(Opd.objects.filter(is_active=True).values_list("pk", flat=True))
        )
        self.helper = layout_helper(
            Fieldset(
                _("Stage"),
                Row(Column("number", css_class="col-md-3"), Column("theme")),
                Row(Column("start_date"), Column("end_date")),
            ),
            Fieldset(_("Place and speakers"), "mode", Row(Column("place"), Column("meeting_link")), "speakers"),
            Field("invited_opds", wrapper_class="invited-opds"),
        )

    def clean(self):
        data = super().clean()
        _in_range(self, "start_date", "end_date")
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Day 1: strategic analysis"))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = layout_helper("title", Row(Column("date"), Column("start_time"), Column("end_time")))

    def clean(self):
        data = super().clean()
        _in_range(self, "date")
        return data


class ParticipantForm(forms.ModelForm):
    nip = NipField()
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        validators=[RegexValidator(r"^\+?[0-9 ()\-]{6,20}\Z", _("Write a phone number, e.g. 0812 3456 7890."))],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    class Meta:
        model = Participant
        fields = ["name", "nip", "position", "phone", "email"]

    def __init__(self, *args, nip_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if nip_locked:
            self.fields["nip"].disabled = True
            self.fields["nip"].help_text = _("The Bimtek has begun: a different person is a replacement.")
        self.helper = layout_helper("name", "nip", "position", Row(Column("phone"), Column("email")))


class ReplaceForm(ParticipantForm):
    reason = forms.CharField(
        label=_("Reason for the replacement"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. transferred to another office, retired, long illness."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(_("The new participant"), "name", "nip", "position", Row(Column("phone"), Column("email"))),
            "reason",
        )


class AttendanceForm(forms.Form):
    """One field per tick, name and position of each invited OPD's row, and the row's fingerprint."""

    def __init__(self, *args, sheet: list[SheetRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet:
            opd = row.opd.pk
            for participant, _attendance in row.participants:
                self.fields[f"present-{participant.pk}"] = forms.BooleanField(
                    label=participant.name, required=False, initial=participant.pk in row.present_ids
                )
            representative = row.representative
            self.fields[f"rep_name-{opd}"] = forms.CharField(
                label=_("%(opd)s: represented by (name)") % {"opd": row.opd.short_name},
                required=False,
                max_length=NAME_MAX_LENGTH,
                initial=representative.representative_name if representative else "",
            )
            self.fields[f"rep_position-{opd}"] = forms.CharField(
                label=_("%(opd)s: representative's position") % {"opd": row.opd.short_name},
                required=False,
                max_length=POSITION_MAX_LENGTH,
                initial=representative.representative_position if representative else "",
            )
            # The row as this screen shows it, sent back so the save can tell what changed meanwhile.
            self.fields[f"opened-{opd}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=row.state.to_json()
            )

    def clean(self):
        data = super().clean()
        for row in self.sheet:
            name, position = f"rep_name-{row.opd.pk}", f"rep_position-{row.opd.pk}"
            if bool(data.get(name)) != bool(data.get(position)) and name in data and position in data:
                self.add_error(
                    position if data.get(name) else name,
                    _("Give both the representative's name and position, or neither."),
                )
        return data

    def rows(self):
        """Yield (sheet row, its bound fields) for the template."""
        for row in self.sheet:
            opd = row.opd.pk
            yield {
                "row": row,
                "ticks": [
                    (self[f"present-{participant.pk}"], participant, attendance)
                    for participant, attendance in row.participants
                ],
                "name": self[f"rep_name-{opd}"],
                "position": self[f"rep_position-{opd}"],
                "opened": self[f"opened-{opd}"],
            }

    def entries(self) -> list[RowEntry]:
        """Return what the admin recorded for each row, and the row as it was opened (call after is_valid)."""
        data = self.cleaned_data
        entries = []
        for row in self.sheet:
            opd = row.opd.pk
            present = frozenset(p.pk for p, _attendance in row.participants if data.get(f"present-{p.pk}"))
            wanted = RowState(
                present, " ".join(data[f"rep_name-{opd}"].split()), " ".join(data[f"rep_position-{opd}"].split())
            )
            entries.append(RowEntry(opd, wanted, RowState.from_json(data[f"opened-{opd}"])))
        return entries

    @staticmethod
    def data_showing(data, proposals: list):
        """Return the posted data with some rows showing a proposed state, opened as saved now (after a conflict).

        `proposals` holds (sheet row as saved now, the state to show in it).
        """
        data = data.copy()
        for row, state in proposals:
            for participant, _attendance in row.participants:
                data.pop(f"present-{participant.pk}", None)
                if participant.pk in state.present_ids:
                    data[f"present-{participant.pk}"] = "on"
            data[f"rep_name-{row.opd.pk}"] = state.representative_name
            data[f"rep_position-{row.opd.pk}"] = state.representative_position
            data[f"opened-{row.opd.pk}"] = row.state.to_json()
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=20,
        help_text=_("The %(length)d characters shown on the screen in the room.") % {"length": CHECKIN_CODE_LENGTH},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )
    nip = NipField(label=_("Your NIP"))

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"]).upper()
        if len(code) != CHECKIN_CODE_LENGTH or any(character not in CHECKIN_CODE_ALPHABET for character in code):
            raise forms.ValidationError(
                _("This code is not valid. Check the code shown on the screen and type it again.")
            )
        return code


class RepresentativeForm(CheckInForm):
    """Asked of someone whose NIP is not a fixed participant of an invited OPD: who they are and whom they represent."""

    name = forms.CharField(label=_("Your full name"), max_length=NAME_MAX_LENGTH)
    position = forms.CharField(label=_("Your position"), max_length=POSITION_MAX_LENGTH)
    opd = forms.TypedChoiceField(label=_("The OPD you represent"), coerce=int, empty_value=None)

    def __init__(self, *args, opds, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices by id in a plain list: a hostile id is refused as "not one of the choices", never looked up.
        self.fields["opd"].choices = [("", _("Choose…")), *((opd.pk, opd.name) for opd in opds)]
        self.fields["code"].widget = forms.HiddenInput()
        self.fields["nip"].widget = forms.HiddenInput()

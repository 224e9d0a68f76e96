"""Form pieces every app may use: the login form, fields for Rupiah amounts, row ids and several files, text
limits, and the review workflow's forms."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import ReviewComment
from core.security import lockout_message
from core.templatetags.portal import format_thousands


class LoginForm(AuthenticationForm):
    """Django's login form with plainer messages (Django's Indonesian one repeats words)."""

    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account is inactive. Contact the Kominfo administrator."),
    }

    def get_invalid_login_error(self):
        # django-axes refused the attempt before any password was checked: say why, not "wrong password".
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


class RupiahInput(forms.TextInput):
    """Show a saved amount with Indonesian thousands dots, as people type it."""

    def format_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            try:
                return format_thousands(int(value))
            except ValueError:  # "²" is a digit to str.isdigit() but not a number to int(): show it as typed
                pass
        return super().format_value(value)


class RupiahField(forms.IntegerField):
    """A whole Rupiah amount typed as people write it: 1250000000, 1.250.000.000 or Rp 1.250.000.000."""

    default_error_messages = {
        "invalid": _("Write the amount in whole Rupiah, e.g. 1.250.000.000."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            text = re.sub(r"^\s*rp\.?\s*", "", value.strip(), flags=re.IGNORECASE)
            grouped = re.fullmatch(r"\d{1,3}(\.\d{3})+", text)
            value = text.replace(".", "") if grouped else text.replace(" ", "")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id; an id no database column can hold is refused before the query (SQLite overflows)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                in_range = -(2**63) <= int(str(pk)) < 2**63
            except ValueError:
                in_range = True  # not a number at all: the parent refuses it with its own message
            if not in_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets a person choose several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files from one input; each is checked by the field's own file checks."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files:
            super().clean(None, initial)  # refuses when the field is required
            return []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class TextLimits:
    """Form mixin: every text field without a length limit gets one (a sane page, a clear error, a maxlength).

    `text_limits` names a limit per field; the others get `default_text_limit` characters.
    """

    default_text_limit = 5000
    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field) is not forms.CharField or field.max_length is not None:
                continue
            field.max_length = self.text_limits.get(name, self.default_text_limit)
            field.validators.append(validators.MaxLengthValidator(field.max_length))
            field.widget.attrs.update(field.widget_attrs(field.widget))

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # A text far past its limit is shown back cut to the limit: the page stays small, the person shortens it.
        too_long = {}
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            value = self.data.get(key)
            limit = getattr(field, "max_length", None)
            if limit and isinstance(value, str) and len(value) > limit:
                too_long[key] = value[:limit]
                self.add_error(
                    name,
                    _("Only its first %(limit)d characters are shown below: shorten it, then save again.")
                    % {"limit": limit},
                )
        if too_long:
            self.data = self.data.copy()
            for key, value in too_long.items():
                self.data[key] = value


# The forms of the shared review workflow (core.workflow): a decision's reason, a comment, an evidence file.


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=ReviewComment.Visibility.choices,
        initial=ReviewComment.Visibility.OPD,
        required=False,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPG."))
    description = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)


# crispy-bootstrap5's field template with the plain-field case written out (templates/includes/crispy_field.html).
FIELD_TEMPLATE = "includes/crispy_field.html"


def layout_helper(*fields) -> FormHelper:
    """Return the crispy helper of a form laid out as `fields` (names and layout objects), inside the page's <form>."""
    helper = FormHelper()
    helper.form_tag = False
    helper.field_template = FIELD_TEMPLATE
    helper.layout = Layout(*fields)
    return helper

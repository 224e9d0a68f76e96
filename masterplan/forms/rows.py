"""Formsets whose row counts are checked, never trusted: the pages add rows in the browser up to `max_num`."""

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# The codes of a formset's errors that only an altered page can cause: such a POST is refused as a whole.
ROW_COUNT_ERRORS = ("missing_management_form", "too_many_forms")


class RowCountsForm(ManagementForm):
    """The formset's row counts, refused when negative or when more rows are said to be saved than sent."""

    TOTAL_FORMS = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    INITIAL_FORMS = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data[INITIAL_FORM_COUNT] > data[TOTAL_FORM_COUNT]:
            self.add_error(None, "INITIAL_FORMS > TOTAL_FORMS")  # only its presence counts: the formset words it
        return data


class CheckedRowsFormSet(forms.BaseFormSet):
    """A formset refusing row counts no page sends; build it with absolute_max=max_num so more rows are refused too."""

    default_error_messages = {
        "missing_management_form": _(
            "The row counts of this form arrived missing or altered, so nothing was saved. "
            "Open the form again and repeat your changes."
        ),
        "too_many_forms": _("At most %(num)d rows can be saved here; nothing was saved."),
    }

    @cached_property
    def management_form(self):
        if not self.is_bound:
            return super().management_form
        form = RowCountsForm(self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer)
        form.full_clean()
        return form

    def row_count_errors(self) -> list[str]:
        """Return the messages about row counts no page of the portal sends (missing, malformed, over the limit)."""
        return [
            message
            for error in self.non_form_errors().as_data()
            if error.code in ROW_COUNT_ERRORS
            for message in error.messages
        ]


def checked_formset(form, *, formset=CheckedRowsFormSet, extra: int, max_num: int):
    """Return a formset class of `form` offering `extra` empty rows and refusing more than `max_num` rows."""
    return forms.formset_factory(form, formset=formset, extra=extra, max_num=max_num, absolute_max=max_num)

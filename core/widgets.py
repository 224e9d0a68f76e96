"""Form widgets that render their HTML in Python: the same markup as Django's templates, a fraction of the time."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# Django's empty choice, shown everywhere as one Indonesian wording instead (as
# templates/django/forms/widgets/select_option.html does for template-rendered selects).
DJANGO_EMPTY_LABEL = "---------"
EMPTY_CHOICE_LABEL = _("Choose…")


def _attributes(attrs: dict) -> str:
    """Return the attributes as Django's `django/forms/widgets/attrs.html` writes them."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        )
    return "".join(parts)


class FastSelect(forms.Select):
    """A `<select>` written without a template per option.

    Django renders every `<option>` through two template includes; a filter form with ~100 options spent
    more time there than in the rest of the page. The markup is byte for byte Django's
    (`django/forms/widgets/select.html`, `select_option.html`, `attrs.html`): a test compares them.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # What Select.get_context() and ChoiceWidget.optgroups() compute, without an options dict per option.
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        values = set(self.format_value(value))
        parts = [f'<select name="{conditional_escape(name)}"{_attributes(final_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            is_group = isinstance(option_label, (list, tuple))
            if is_group:
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
            for subvalue, sublabel in option_label if is_group else [(option_value, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in values
                has_selected |= selected
                if sublabel == DJANGO_EMPTY_LABEL:
                    sublabel = EMPTY_CHOICE_LABEL
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"{" selected" if selected else ""}>'
                    f"{conditional_escape(sublabel)}</option>\n"
                )
            if is_group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def use_fast_selects(form) -> None:
    """Give every plain `<select>` of the form a FastSelect: the same markup, without a template per option."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            fast = FastSelect(attrs=field.widget.attrs)
            fast.choices = field.widget.choices
            field.widget = fast

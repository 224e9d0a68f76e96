"""Form widgets that render their HTML in Python: the same markup as Django's templates, a fraction of the time."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


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
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))

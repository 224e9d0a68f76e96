"""The form renderer: Django's plain widgets written in Python, with exactly the markup of their templates."""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

# Django's empty choice, shown everywhere as one Indonesian wording instead (as
# templates/django/forms/widgets/select_option.html does for options drawn by the template).
DJANGO_EMPTY_LABEL = "---------"
EMPTY_CHOICE_LABEL = _("Choose…")

INPUT_TYPES = (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel", "text",
    "time", "url",
)  # fmt: skip


def _attributes(attrs: dict) -> str:
    """Return the attributes as `django/forms/widgets/attrs.html` writes them."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> str:
    """`django/forms/widgets/input.html` (and every input type that includes it)."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}'
        f"{_attributes(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """`django/forms/widgets/textarea.html`."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>\n{value}</textarea>'


def _option(option: dict) -> str:
    """The project's `django/forms/widgets/select_option.html`: Django's, with one wording for the empty choice."""
    label = EMPTY_CHOICE_LABEL if option["label"] == DJANGO_EMPTY_LABEL else option["label"]
    value, attributes = conditional_escape(option["value"]), _attributes(option["attrs"])
    return f'<option value="{value}"{attributes}>{conditional_escape(label)}</option>'


def _select(widget: dict) -> str:
    """`django/forms/widgets/select.html` with its options."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {_option(option)}\n" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


DRAWN = {
    **{f"django/forms/widgets/{name}.html": _input for name in INPUT_TYPES},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class PortalFormRenderer(TemplatesSetting):
    """Django's TemplatesSetting renderer (the project's templates first), with the plain widgets drawn in Python.

    An input, a textarea or a select went through two to four template includes, and a select one more per
    `<option>`: most of a filter bar's or a long form's time. What is written here is the templates' markup byte
    for byte (tests/core/test_widgets.py draws every case both ways); any other template renders as usual.
    """

    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request=request)
        return draw(context["widget"])

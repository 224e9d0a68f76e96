"""Filters of the masterplan's PDF templates: amounts and numbers in Indonesian format, without "Rp" in table cells."""

from django import template

from core.templatetags.portal import format_thousands

register = template.Library()


@register.filter
def thousands(value) -> str:
    """Show a whole amount with Indonesian thousands separators (1.250.000), a dash for nothing or zero."""
    if not value:
        return "–"
    return format_thousands(int(value))

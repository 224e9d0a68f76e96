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


@register.simple_tag
def export_groups(exports) -> list[dict]:
    """Return the exports grouped per book, every book in the set's order (the complete set first), newest first."""
    from masterplan.books import BOOKS_IN_ORDER, Book

    grouped: dict[str, list] = {}
    for export in exports:
        grouped.setdefault(export.book, []).append(export)
    return [
        {"book": book, "label": book.label, "exports": grouped.get(book, [])} for book in [Book.SET, *BOOKS_IN_ORDER]
    ]

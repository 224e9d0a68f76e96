"""Tags about the masterplan's PDF exports: the export list groups them per book."""

from django import template

register = template.Library()


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

"""The masterplan as printable PDFs (WeasyPrint): the book set, or one book of it, fed only by bundled files.

The document is always in Bahasa Indonesia: it is the regency's official text, so its wording lives in the
templates under templates/masterplan/pdf/ and the model labels are read with Indonesian active.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import render_html_pdf

from ..books import Book
from .context import STYLESHEET, document_context, head_of_region
from .facts import years_label
from .figures import GANTT_LABEL_LENGTH, GANTT_ROWS_PER_PAGE, gantt_label
from .numbering import with_numbered_captions

__all__ = [
    "GANTT_LABEL_LENGTH",
    "GANTT_ROWS_PER_PAGE",
    "STYLESHEET",
    "document_context",
    "document_html",
    "gantt_label",
    "head_of_region",
    "render_masterplan_pdf",
    "years_label",
]


def render_masterplan_pdf(
    masterplan,
    *,
    version: int,
    book: str = Book.SET,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """Render one book of the masterplan (or the whole set) as PDF; return its bytes and its number of pages."""
    report = on_progress or (lambda percent: None)
    with translation.override("id"):
        html = document_html(masterplan, version=version, book=book, on_progress=report)
        report(40)
        pdf, page_count = render_html_pdf(html, on_layout=lambda: report(90))
    report(100)
    return pdf, page_count


def document_html(
    masterplan, *, version: int, book: str = Book.SET, on_progress: Callable[[int], None] = lambda percent: None
) -> str:
    """Return the document's HTML, tables and figures numbered; the loaded rows are freed before the layout."""
    context = document_context(masterplan, version=version, book=book)
    on_progress(10)
    return with_numbered_captions(render_to_string("masterplan/pdf/document.html", context))

"""Sections that apps above the masterplan add to its PDF, without the masterplan importing them.

An app registers a provider in its AppConfig.ready(); while the document is rendered (Indonesian active)
each provider is asked for its section of the masterplan, or None when it has nothing to say. A section
says which book it belongs in: Buku I Analisis Strategis by default (the Bimtek's drafting process), or
Buku II Masterplan (e.g. an SPBE / Satu Data chapter). Each section becomes a chapter of its book, after
that book's own chapters of analysis or programmes. Kept apart from masterplan.pdf so that registering
does not load WeasyPrint into every web process.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from .books import Book


@dataclass(frozen=True)
class Section:
    """A section of the document: its anchor (for the table of contents), title, body as safe HTML, and book.

    A table in the body with `<caption class="numbered">` is numbered with its chapter (Tabel 6.1) and
    listed in the list of tables; `<figcaption class="numbered">` does the same for a figure.
    """

    anchor: str
    title: str
    html: SafeString
    book: str = Book.ANALYSIS


SectionProvider = Callable[[object], Section | None]
_providers: list[SectionProvider] = []
# The books a section may go in: the analysis (Buku I) and the masterplan itself (Buku II).
SECTION_BOOKS = (Book.ANALYSIS, Book.MASTERPLAN)


def register_section(provider: SectionProvider) -> None:
    """Add a provider of a section (a chapter of the book it names); a provider registered again counts once."""
    if provider not in _providers:
        _providers.append(provider)


def sections_for(masterplan, *, book: str | None = None) -> list[Section]:
    """Return the sections the registered providers give for the masterplan (of one book), in registration order."""
    sections = [section for provider in _providers if (section := provider(masterplan)) is not None]
    for section in sections:
        if section.book not in SECTION_BOOKS:
            raise ValueError(f"section {section.anchor!r}: a section goes in Buku I or Buku II, not {section.book!r}")
    return [section for section in sections if book is None or section.book == book]

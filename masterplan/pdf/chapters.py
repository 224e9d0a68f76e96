"""The chapters of the masterplan document and the book each belongs to, numbered once for the whole set.

A chapter keeps its number in every PDF it appears in (Bab 9 is Bab 9 in Buku II alone and in the set), so a
reference to Tabel 9.2 means one table whichever file the reader holds.
"""

from dataclasses import dataclass

from ..books import BOOKS_IN_ORDER, DOCUMENT_TITLES, Book
from ..sections import Section, sections_for

SUMMARY_NUMBER = "RE"  # the executive summary's tables: Tabel RE.1
LANDSCAPE = {"bab-peta-jalan", "bab-pembiayaan"}


@dataclass(frozen=True)
class Chapter:
    """A chapter: its anchor, number ("4", or "" when unnumbered), title, book, and the template that prints it."""

    anchor: str
    number: str
    title: str
    book: str | None  # None: the introduction, printed in every book but the executive summary
    template: str
    section: Section | None = None

    @property
    def heading(self) -> str:
        if self.number == SUMMARY_NUMBER or not self.number:
            return self.title
        return f"Bab {self.number} {self.title}"

    @property
    def landscape(self) -> bool:
        """Return whether the chapter is printed across (the roadmap's year columns and the financing table)."""
        return self.anchor in LANDSCAPE

    @property
    def caption_number(self) -> str:
        """Return the number its tables and figures carry (4 in Tabel 4.1)."""
        return self.number or "L"


def _template(name: str) -> str:
    return f"masterplan/pdf/chapters/{name}.html"


def chapter_plan(masterplan) -> list[Chapter]:
    """Return every chapter of the set in order, numbered, the sections other apps add included."""
    plan: list[tuple[str, str, str | None, str, Section | None]] = [
        ("bab-pendahuluan", "Pendahuluan", None, _template("introduction"), None),
        ("bab-dasar-hukum", "Dasar Hukum", Book.ANALYSIS, _template("legal_basis"), None),
        ("bab-profil", "Profil Daerah", Book.ANALYSIS, _template("profile"), None),
        ("bab-kesiapan", "Kesiapan dan Kesenjangan per Pilar", Book.ANALYSIS, _template("readiness"), None),
        ("bab-swot", "Analisis SWOT dan Strategi", Book.ANALYSIS, _template("swot"), None),
    ]
    plan += [
        (section.anchor, section.title, Book.ANALYSIS, _template("section"), section)
        for section in sections_for(masterplan, book=Book.ANALYSIS)
    ]
    plan += [
        ("bab-visi", "Visi, Misi dan Sasaran", Book.MASTERPLAN, _template("vision"), None),
        ("bab-rpjmd", "Keselarasan dengan RPJMD", Book.MASTERPLAN, _template("rpjmd"), None),
        ("bab-program", "Strategi dan Program per Pilar", Book.MASTERPLAN, _template("programmes"), None),
    ]
    plan += [
        (section.anchor, section.title, Book.MASTERPLAN, _template("section"), section)
        for section in sections_for(masterplan, book=Book.MASTERPLAN)
    ]
    plan += [
        ("bab-tata-kelola", "Tata Kelola", Book.MASTERPLAN, _template("governance"), None),
        ("bab-rencana-aksi", "Rencana Aksi dan Quick Win", Book.ACTION_PLAN, _template("action_plan"), None),
        ("bab-peta-jalan", "Peta Jalan", Book.ROADMAP, _template("roadmap"), None),
        ("bab-pembiayaan", "Pembiayaan", Book.ROADMAP, _template("financing"), None),
    ]
    chapters = [
        Chapter("bab-ringkasan", SUMMARY_NUMBER, "Ringkasan Eksekutif", Book.SUMMARY, _template("summary")),
    ]
    chapters += [
        Chapter(anchor, str(index), title, book, template, section)
        for index, (anchor, title, book, template, section) in enumerate(plan, start=1)
    ]
    chapters.append(Chapter("lampiran", "", "Lampiran: Usulan OPD yang Menjadi Dasar Masterplan", Book.MASTERPLAN,
                            _template("annex")))  # fmt: skip
    return chapters


def chapters_of(plan: list[Chapter], book: str) -> list[Chapter]:
    """Return the chapters one PDF holds: the whole set, or one book (with the introduction but the summary)."""
    if book == Book.SET:
        return plan
    if book == Book.SUMMARY:
        return [chapter for chapter in plan if chapter.book == Book.SUMMARY]
    return [chapter for chapter in plan if chapter.book in (None, book)]


@dataclass(frozen=True)
class BookPart:
    """A book inside the PDF, with its chapters: the set holds five, a single book one."""

    book: str
    title: str
    chapters: list[Chapter]
    divider: bool  # the set opens each book with a title page


def book_parts(chapters: list[Chapter], book: str) -> list[BookPart]:
    """Group the PDF's chapters by book, in the set's order; in the set the introduction opens Buku I."""
    if book != Book.SET:
        return [BookPart(book, DOCUMENT_TITLES[book], chapters, divider=False)]
    return [
        BookPart(
            each,
            DOCUMENT_TITLES[each],
            [c for c in chapters if c.book == each or (c.book is None and each == Book.ANALYSIS)],
            divider=True,
        )
        for each in BOOKS_IN_ORDER
    ]

"""The books of the masterplan document, as the Kominfo guide sets them out: what each one is called and holds.

Kept apart from masterplan.pdf so that the export pages and the model know the books without loading WeasyPrint.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Book(models.TextChoices):
    """One downloadable PDF: a book of the set, or the whole set in one file."""

    SET = "set", _("Complete set (all books)")
    SUMMARY = "summary", _("Executive summary")
    ANALYSIS = "analysis", _("Book I: Strategic analysis")
    MASTERPLAN = "masterplan", _("Book II: Masterplan")
    ACTION_PLAN = "action_plan", _("Book III: Action plan and Quick Win")
    ROADMAP = "roadmap", _("Book IV: Roadmap")


# The title each book carries on its cover and in the document: always Indonesian, the regency's official text.
DOCUMENT_TITLES = {
    Book.SET: "Dokumen Masterplan Smart City",
    Book.SUMMARY: "Ringkasan Eksekutif",
    Book.ANALYSIS: "Buku I Analisis Strategis",
    Book.MASTERPLAN: "Buku II Masterplan",
    Book.ACTION_PLAN: "Buku III Rencana Aksi dan Quick Win",
    Book.ROADMAP: "Buku IV Peta Jalan",
}

# The books in the order of the set.
BOOKS_IN_ORDER = [Book.SUMMARY, Book.ANALYSIS, Book.MASTERPLAN, Book.ACTION_PLAN, Book.ROADMAP]
# A file name for each PDF, e.g. masterplan-buku-1-v3.pdf.
FILE_SLUGS = {
    Book.SET: "lengkap",
    Book.SUMMARY: "ringkasan-eksekutif",
    Book.ANALYSIS: "buku-1-analisis-strategis",
    Book.MASTERPLAN: "buku-2-masterplan",
    Book.ACTION_PLAN: "buku-3-rencana-aksi",
    Book.ROADMAP: "buku-4-peta-jalan",
}

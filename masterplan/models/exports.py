"""The masterplan's PDF renderings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob, PdfJob

from ..books import Book
from .masterplan import Masterplan


class MasterplanExport(PdfJob):
    """One rendering of a book of the masterplan (or the whole set) as PDF; once done it never changes."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="exports")
    book = models.CharField(_("book"), max_length=20, choices=Book.choices, default=Book.SET)
    version = models.PositiveIntegerField(_("version"))  # counted per book

    class Meta(PdfJob.Meta):
        ordering = ["-version"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(fields=["masterplan", "book", "version"], name="export_unique_book_version"),
            # Two clicks on Generate while one render of the book runs must not render it twice.
            models.UniqueConstraint(
                fields=["masterplan", "book"],
                condition=Q(status__in=BackgroundJob.UNFINISHED),
                name="export_one_running_per_book",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masterplan} · {self.get_book_display()} v{self.version}"

"""Exports of the submission list (CSV or XLSX) made in the background for the person who asked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob


class SubmissionExport(BackgroundJob):
    """One export of a filtered submission list; its file is private to the person who requested it."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.TextField(_("filter"), blank=True)  # the list's query string, applied again by the worker
    description = models.CharField(_("filter"), max_length=500, blank=True)
    language = models.CharField(max_length=10, default="id")  # of the headers and names in the file
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(condition=Q(file_format__in=["csv", "xlsx"]), name="submission_export_format"),
        ]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} #{self.pk}"

    @property
    def download_name(self) -> str:
        """Return the file name offered to the browser, e.g. usulan-smart-city-20261123-1410-7.csv."""
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M") if self.created_at else ""
        return f"usulan-smart-city-{stamp}-{self.pk}.{self.file_format}"

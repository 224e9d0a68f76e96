"""Exports of the submission list (CSV or XLSX) made in the background for the person who asked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmissionExport(models.Model):
    """One export of a filtered submission list; its file is private to the person who requested it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.TextField(_("filter"), blank=True)  # the list's query string, applied again by the worker
    description = models.CharField(_("filter"), max_length=500, blank=True)
    language = models.CharField(max_length=10, default="id")  # of the headers and names in the file
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(upload_to="exports/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="submission_export_progress_percent"),
            models.CheckConstraint(condition=Q(file_format__in=["csv", "xlsx"]), name="submission_export_format"),
        ]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M") if self.created_at else ""
        return f"usulan-smart-city-{stamp}-{self.pk}.{self.file_format}"

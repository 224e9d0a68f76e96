"""The evaluation report of a period as PDF: one background job per rendering (core.jobs)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob, PdfJob

from .periods import ReportingPeriod


class EvaluationExport(PdfJob):
    """One rendering of a period's Laporan Monitoring dan Evaluasi; once done it never changes."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="exports")

    class Meta(PdfJob.Meta):
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        constraints = [
            *BackgroundJob.Meta.constraints,
            # Two clicks on Generate while one render runs must not render twice.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status__in=BackgroundJob.UNFINISHED),
                name="evaluation_export_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.created_at:%Y-%m-%d %H:%M}"

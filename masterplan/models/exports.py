"""The masterplan's PDF renderings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob

from .masterplan import Masterplan


class MasterplanExport(BackgroundJob):
    """One rendering of the masterplan as PDF; once done it never changes."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="exports")
    version = models.PositiveIntegerField(_("version"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        ordering = ["-version"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(fields=["masterplan", "version"], name="export_unique_version"),
            # Two clicks on Generate while one render runs must not render twice.
            models.UniqueConstraint(
                fields=["masterplan"], condition=Q(status__in=BackgroundJob.UNFINISHED), name="export_one_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masterplan} v{self.version}"

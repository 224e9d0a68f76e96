"""A programme's yearly report: realised values per indicator target, budget realised per funding source,
progress, obstacles and follow-up, the supporting OPDs' parts and the evidence, verified by Kominfo through
the shared review workflow (core.workflow); once approved its figures are frozen."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ReviewComment, ReviewEvent, ReviewStatus, StoredUpload
from core.workflow import ReviewQuerySet
from masterplan.models import Programme
from opd.models import Opd
from opd.models.submissions import MAX_BUDGET

from .periods import ReportingPeriod

# A realised value is a number in the indicator's unit: no unit a regency measures needs more.
MAX_REALISED_VALUE = Decimal("1000000000000")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ReportQuerySet(ReviewQuerySet):
    def filter_for_opd(self, opd_id: int):
        """Return the reports of the programmes the OPD leads or supports."""
        return self.filter(Q(programme__lead_opd_id=opd_id) | Q(programme__supporting_opds__id=opd_id)).distinct()

    def verified(self):
        return self.filter(status=ReviewStatus.APPROVED)


class ProgrammeReport(models.Model):
    """What the lead OPD reports on one programme for one period's year."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    progress_status = models.CharField(_("progress"), max_length=12, choices=ProgressStatus.choices, blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    obstacles = models.TextField(_("obstacles"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("verified"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the last decision"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("first sent"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["programme__element__pillar__order", "programme__order", "pk"]
        verbose_name = _("programme report")
        verbose_name_plural = _("programme reports")
        constraints = [
            models.UniqueConstraint(fields=["period", "programme"], name="report_one_per_programme_and_period"),
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
                name="report_progress_percent",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_submitted_at"], name="report_queue_idx")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.period.year}"

    @property
    def is_verified(self) -> bool:
        return self.status == ReviewStatus.APPROVED


class IndicatorRealisation(models.Model):
    """The value realised against one indicator's target of the report's year, in the indicator's unit."""

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="realisations")
    target = models.ForeignKey("masterplan.IndicatorTarget", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        _("realised value"),
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_REALISED_VALUE)],
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="realisation_one_per_target"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=MAX_REALISED_VALUE), name="realisation_value_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.target_id}: {self.value}"


class BudgetRealisation(models.Model):
    """The budget spent from one planned funding source of the report's year; above plan needs a note."""

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="budget_realisations")
    budget = models.ForeignKey("masterplan.ProgrammeBudget", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("realised (Rupiah)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "budget"], name="budget_realisation_one_per_budget"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_BUDGET), name="budget_realisation_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.budget_id}: {self.amount}"


class SupportingContribution(models.Model):
    """What one supporting OPD did for the programme in the report's year, in its own words."""

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="contributions")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("contribution"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opd__name"]
        constraints = [models.UniqueConstraint(fields=["report", "opd"], name="contribution_one_per_opd")]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.opd_id}"


class ReportEvidence(StoredUpload):
    """A file of evidence (data dukung) behind the report."""

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="evidence")

    class Meta(StoredUpload.Meta):
        pass

    def upload_folder(self) -> str:
        return f"evaluation/{self.report_id}"


class ReportEvent(ReviewEvent):
    """One recorded step of a report: who, when, what."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created the draft")
        EDITED = "edited", _("Edited")
        CONTRIBUTED = "contributed", _("Added a supporting OPD's part")
        SUBMITTED = "submitted", _("Sent it to Kominfo")
        RESUBMITTED = "resubmitted", _("Sent it again after revision")
        REVISION_REQUESTED = "revision_requested", _("Requested a revision")
        APPROVED = "approved", _("Verified it")
        EVIDENCE_ADDED = "attachment_added", _("Added an attachment")
        EVIDENCE_REMOVED = "attachment_removed", _("Removed an attachment")

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)

    class Meta(ReviewEvent.Meta):
        pass


class ReportComment(ReviewComment):
    """A note on a report: Kominfo's internal notes, feedback to the lead OPD, its replies."""

    report = models.ForeignKey(ProgrammeReport, on_delete=models.CASCADE, related_name="comments")

    class Meta(ReviewComment.Meta):
        pass

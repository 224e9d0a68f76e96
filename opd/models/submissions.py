"""What an OPD submits (needs, innovations, challenges), with its review history by Kominfo."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ReviewComment, ReviewEvent, ReviewStatus, StoredUpload
from core.workflow import DECIDED_STATUSES, ReviewQuerySet
from pillars.models import Element, Pillar

from .accounts import Opd

FIRST_YEAR = 2020
LAST_YEAR = 2050
MAX_BUDGET = 10**15  # a thousand trillion Rupiah: far above any regency's whole budget


class SubmissionKind(models.TextChoices):
    NEED = "kebutuhan", _("Need")
    INNOVATION = "inovasi", _("Innovation")
    CHALLENGE = "tantangan", _("Challenge")


# A submission moves through the shared review workflow (core.workflow) and its statuses.
SubmissionStatus = ReviewStatus


class Horizon(models.TextChoices):
    QUICK_WIN = "quick_win", _("Quick win (within a year)")
    SHORT_TERM = "short_term", _("Short term")
    LONG_TERM = "long_term", _("Long term")


class FundingSource(models.TextChoices):
    APBD_KABUPATEN = "apbd_kabupaten", _("APBD Kabupaten")
    APBD_PROVINSI = "apbd_provinsi", _("APBD Provinsi")
    APBN = "apbn", _("APBN")
    DAK = "dak", _("DAK (special allocation fund)")
    DANA_DESA = "dana_desa", _("Dana Desa")
    BLUD = "blud", _("BLUD")
    KPBU = "kpbu", _("KPBU (public-private partnership)")
    CSR = "csr", _("CSR")
    HIBAH = "hibah", _("Grant (hibah)")
    OTHER = "lainnya", _("Other")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class SubmissionQuerySet(ReviewQuerySet):
    def of_opd(self, opd):
        return self.filter(opd=opd)


class Submission(models.Model):
    """A need, innovation or challenge of one OPD, from draft to Kominfo's decision."""

    # The fields a person fills in; their values are what the history snapshots and compares.
    CONTENT_FIELDS = (
        "kind",
        "title",
        "pillar",
        "element",
        "current_condition",
        "proposed_solution",
        "beneficiaries",
        "expected_output",
        "expected_outcome",
        "indicator",
        "horizon",
        "start_year",
        "end_year",
        "budget",
        "funding_source",
        "priority",
    )
    # Fields a draft may leave empty but a submission must have (related applications and data are links in spbe).
    REQUIRED_TO_SUBMIT = CONTENT_FIELDS

    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("OPD"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pillar"))
    element = models.ForeignKey(Element, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("element"))
    current_condition = models.TextField(_("current condition / problem"), blank=True)
    proposed_solution = models.TextField(_("proposed solution or innovation"), blank=True)
    beneficiaries = models.TextField(_("who benefits (target group)"), blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    indicator = models.TextField(_("indicator"), blank=True)
    horizon = models.CharField(_("suggested horizon"), max_length=20, choices=Horizon.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("proposed start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("proposed end year"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("estimated budget (Rupiah)"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned reviewer"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the last decision"), blank=True)
    # Optimistic lock: every write bumps it; a form posted with an older value is stale.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["opd", "status"]),
            models.Index(fields=["status", "last_submitted_at"]),
            models.Index(fields=["pillar", "status"]),
            # The unfiltered lists, newest change first, read 25 rows off this index instead of sorting them all.
            models.Index(fields=["updated_at", "id"], name="submission_updated_idx"),
            # Every figure of the Kominfo and Bupati dashboards comes from this index alone (an index-only scan).
            models.Index(
                fields=["opd", "pillar", "status", "kind"],
                include=["reference", "assigned_reviewer"],
                name="submission_dashboard_idx",
            ),
            # Kominfo's queue counts the sent submissions of some statuses for its pages: an index-only count
            # over this small partial index instead of a scan of the whole table.
            models.Index(fields=["status"], condition=Q(reference__isnull=False), name="submission_sent_status_idx"),
            # The masterplan's count of approved submissions no programme uses yet (roadmap and assembly pages):
            # an index-only anti-join over the approved ones instead of a scan of the table.
            models.Index(fields=["id"], condition=Q(status="approved"), name="submission_approved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="submission_end_year_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=FIRST_YEAR, start_year__lte=LAST_YEAR),
                name="submission_start_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=FIRST_YEAR, end_year__lte=LAST_YEAR),
                name="submission_end_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__lte=MAX_BUDGET), name="submission_budget_in_range"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False), name="submission_sent_has_reference"
            ),
        ]

    def __str__(self) -> str:
        reference = self.reference or _("Draft")
        title = self.title or _("(untitled)")
        return f"{reference} · {title}"

    @property
    def has_standing_decision(self) -> bool:
        """Whether Kominfo's last decision is the current state (so its reason is shown)."""
        return self.decided_at is not None and self.status in (*DECIDED_STATUSES, SubmissionStatus.REVISION_REQUESTED)


class ReferenceCounter(models.Model):
    """The last reference number given in a year: SC-2026-0001, SC-2026-0002, …"""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class SubmissionEvent(ReviewEvent):
    """One recorded change of a submission: who, when, what, and the content after it."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created the draft")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent it to Kominfo")
        RESUBMITTED = "resubmitted", _("Sent it again after revision")
        REVIEW_STARTED = "review_started", _("Started the review")
        REVISION_REQUESTED = "revision_requested", _("Requested a revision")
        APPROVED = "approved", _("Approved it")
        REJECTED = "rejected", _("Rejected it")
        WITHDRAWN = "withdrawn", _("Withdrew it")
        ASSIGNED = "assigned", _("Assigned a reviewer")
        ATTACHMENT_ADDED = "attachment_added", _("Added an attachment")
        ATTACHMENT_REMOVED = "attachment_removed", _("Removed an attachment")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    # The content fields after the change (for created/edited events), to compare revisions.
    snapshot = models.JSONField(null=True, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)

    # Kominfo's decisions: the OPD dashboard's latest feedback reads the newest few of its OPD's.
    DECISIONS = (Action.REVISION_REQUESTED, Action.APPROVED, Action.REJECTED)

    class Meta(ReviewEvent.Meta):
        # Walked backwards until it has five of the OPD's decisions, instead of reading every event.
        indexes = [
            models.Index(
                fields=["created_at"],
                name="event_decision_created_idx",
                condition=models.Q(action__in=["revision_requested", "approved", "rejected"]),
            )
        ]


class Comment(ReviewComment):
    """A note on a submission: internal to Kominfo, or feedback the OPD sees and answers."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")

    class Meta(ReviewComment.Meta):
        # The OPD dashboard's latest feedback walks this backwards until it has five of the OPD's, instead
        # of sorting every comment.
        indexes = [models.Index(fields=["created_at"], name="comment_created_idx")]


class Attachment(StoredUpload):
    """A piece of supporting evidence (data dukung) of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredUpload.Meta):
        pass

    def upload_folder(self) -> str:
        return f"attachments/{self.submission_id}"

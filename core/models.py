"""The security log (who logged in, who was refused, every change of a submission or a masterplan) and
the abstract background job that every file-producing job (exports, PDFs) is made of."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One line of the security log; written by core.security, never changed afterwards."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKED_OUT = "locked_out", _("Locked out")
        UNLOCKED = "unlocked", _("Unlocked")
        LOGOUT = "logout", _("Logout")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        NOT_VISIBLE = "not_visible", _("Object outside the user's reach")
        SUBMISSION_CHANGED = "submission_changed", _("Submission changed")
        MASTERPLAN_CHANGED = "masterplan_changed", _("Masterplan changed")
        ACCOUNT_CHANGED = "account_changed", _("Account or OPD changed")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    action = models.CharField(_("action"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text as well: a failed login names an account that may not exist.
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"


class BackgroundJob(models.Model):
    """A file made by a Celery worker for one request: its state, attempts, timings and the finished file."""

    # A concrete job adds what it is about (the filter, the masterplan…) and its own Meta, keeping these
    # constraints. core.jobs moves a job only forwards: queued, running, then done or failed.

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    FINISHED = (Status.DONE, Status.FAILED)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The storage name is chosen by the job when it stores the file (core.jobs.job_store).
    file = models.FileField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_percent"
            )
        ]

    @property
    def is_running(self) -> bool:
        """Return whether the job is still waiting or being worked on."""
        return self.status in self.UNFINISHED

    @property
    def duration(self):
        """Return how long the last attempt took until the job finished, or None."""
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class PdfJob(BackgroundJob):
    """A PDF a person asked for, rendered by the worker through core.pdf_jobs: who asked, and its page count."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True
        ordering = ["-created_at", "-pk"]


class ReviewStatus(models.TextChoices):
    """Where something an OPD sends to Kominfo stands: the statuses of core.workflow."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewEvent(models.Model):
    """One recorded step of a reviewed thing (who, when, what, from which status to which); the concrete
    model adds the foreign key to what it is about and its own action choices."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class ReviewComment(models.Model):
    """A note on a reviewed thing: internal to Kominfo, or feedback the OPD sees and answers."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal note (Kominfo only)")
        OPD = "opd", _("Feedback to the OPD")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.OPD)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


def stored_upload_path(instance, filename: str) -> str:
    """Return a generated storage name in the owner's folder; the person's file name is kept only in original_name."""
    return f"{instance.upload_folder()}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class StoredUpload(models.Model):
    """A file of evidence (data dukung) a person uploaded: checked by content, stored under a generated name,
    downloaded only through a view after the access check."""

    file = models.FileField(upload_to=stored_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def upload_folder(self) -> str:
        """Return the storage folder of the owner's files (e.g. attachments/<submission id>)."""
        raise NotImplementedError

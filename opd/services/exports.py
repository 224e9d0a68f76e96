"""Exports of the submission list: requested from the list, written by the worker, kept a few days.

The request only records the filter and queues the job; the worker applies the filter again as the
person who asked would see the list (`submissions_visible_to`), writes the file with its progress,
and moves it into place atomically. Only that person can see or download it.
"""

from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs
from opd.access import can_export_submissions, can_use_export, submissions_visible_to
from opd.exports import WRITERS
from opd.filters import SubmissionFilter, default_filter_data
from opd.models import SubmissionExport, User

# The task's registered name: the service queues it by name and never imports opd.tasks.
TASK_NAME = "opd.export_submissions"
FILTER_KEYS = tuple(SubmissionFilter.base_filters)  # q, pillar, element, opd, kind, status, year, …
# An export runs for seconds; more than a few at once from one person is a stuck button, not a need.
RUNNING_LIMIT_PER_USER = 3
FOLDER = "exports"


def export_filter(*, user: User, params: QueryDict) -> SubmissionFilter:
    """Return the list's filter over what the user may see, with the list's defaults when nothing is chosen."""
    data = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if key in params:
            data.setlist(key, params.getlist(key)[:1])
    if not data:
        data.update(default_filter_data(user))
    return SubmissionFilter(data, queryset=submissions_visible_to(user).order_by("-updated_at", "-pk"), user=user)


def describe_filter(filterset: SubmissionFilter) -> str:
    """Return the chosen filter in words, e.g. "Status: Approved; Pillar: Smart Living"."""
    parts = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "") or name == "ordering":
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)[:500] or _("All submissions you can see")


def submission_export_start(*, user: User, params: QueryDict, file_format: str) -> SubmissionExport:
    """Record an export of the list filtered by params and queue it for the worker (after commit)."""
    if not can_export_submissions(user):
        raise PermissionDenied(_("Your account has no role that may export submissions."))
    if file_format not in SubmissionExport.Format.values:
        raise ValidationError(_("Choose CSV or XLSX as the export format."))
    filterset = export_filter(user=user, params=params)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[name].label if name in filterset.form.fields else name}: {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        )
        raise ValidationError(
            _("The filter could not be understood, so nothing was exported (%(problems)s). Correct it and try again.")
            % {"problems": problems}
        )
    submission_exports_prune()
    submission_exports_fail_stale()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # two quick clicks count one after the other
        running = SubmissionExport.objects.filter(requested_by=user, status__in=SubmissionExport.UNFINISHED).count()
        if running >= RUNNING_LIMIT_PER_USER:
            raise ValidationError(
                _("You already have %(count)d exports in progress. Wait until one has finished, then try again.")
                % {"count": running}
            )
        export = SubmissionExport.objects.create(
            requested_by=user,
            file_format=file_format,
            query=filterset.data.urlencode(),
            description=describe_filter(filterset),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        jobs.job_enqueue(
            SubmissionExport,
            export.pk,
            task_name=TASK_NAME,
            queue_down=_("The export could not be put in the queue (%(error)s). Try again later."),
        )
    return export


def submission_export_retry(*, export: SubmissionExport, user: User) -> SubmissionExport:
    """Start the same export (format and filter) again for the person who requested it."""
    if not can_use_export(user, export):
        raise PermissionDenied(_("Only the person who requested an export can start it again."))
    return submission_export_start(user=user, params=QueryDict(export.query), file_format=export.file_format)


def submission_export_run(*, export_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> SubmissionExport:
    """Write a queued export's file, exactly once however often the job is delivered.

    Call it outside any transaction: the claim and every progress step are committed at once. A
    transient database error propagates for the task to retry; any other error marks the export failed.
    """
    return jobs.job_run(
        SubmissionExport,
        export_id,
        work=_write,
        failure_reason=_failure_reason,
        interrupted=_(
            "The export was interrupted %(count)d times and was stopped. Try a narrower filter; if it happens "
            "again, tell the portal administrator."
        )
        % {"count": attempt_limit},
        attempt_limit=attempt_limit,
    )


def _failure_reason(error: Exception) -> str:
    if isinstance(error, SoftTimeLimitExceeded):
        return _("The export took too long and was stopped. Try a narrower filter.")
    if isinstance(error, OSError):
        return _(
            "The export file could not be written on the server (%(error)s). Try again; if it happens again, "
            "tell the portal administrator."
        ) % {"error": error.strerror or type(error).__name__}
    return _(
        "The export could not be produced because of an error in the portal (%(error)s). Try again; if it "
        "happens again, tell the portal administrator."
    ) % {"error": f"{type(error).__name__}: {error}"[:300]}


def _write(export: SubmissionExport) -> SubmissionExport:
    with translation.override(export.language):
        return _write_in_language(export)


def _write_in_language(export: SubmissionExport) -> SubmissionExport:
    user = export.requested_by
    filterset = export_filter(user=user, params=QueryDict(export.query))
    if not filterset.is_valid() or not can_export_submissions(user) or not user.is_active:
        reason = _("The filter or your account changed since the export was requested; start it again.")
        return jobs.job_fail(SubmissionExport, export.pk, reason=reason)
    queryset = filterset.qs
    total = queryset.count()

    def on_row(count: int) -> None:
        percent = count * 100 // total if total else 99
        jobs.job_progress(SubmissionExport, export.pk, percent=percent)

    started = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M%S")
    name = f"{FOLDER}/{user.pk}/usulan-{started}-{export.pk}.{export.file_format}"
    every = max(1000, min(5000, total // 50 or 1000))
    with jobs.temporary_file(prefix=f".export-{export.pk}-") as (handle, temporary):
        row_count = WRITERS[export.file_format](queryset, handle, on_row=on_row, every=every)
    return jobs.job_store(SubmissionExport, export.pk, temporary=temporary, name=name, fields={"row_count": row_count})


def submission_exports_fail_stale(*, now=None) -> int:
    """Mark failed the exports whose worker vanished, or that no worker took for an hour or more; return how many.

    Either would otherwise count for ever against the person's limit of exports in progress.
    """
    return jobs.jobs_fail_stale(
        SubmissionExport,
        time_limit=settings.CELERY_TASK_TIME_LIMIT,
        running_reason=_("The export stopped without finishing. Try again."),
        queued_reason=_(
            "No worker took the export from the queue. Try again; if it happens again, tell the portal administrator."
        ),
        now=now,
    )


def submission_exports_prune(*, now=None, days: int | None = None) -> int:
    """Delete finished exports (rows and files) older than the retention period; return how many."""
    days = settings.SUBMISSION_EXPORT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = SubmissionExport.objects.filter(created_at__lt=cutoff, status__in=SubmissionExport.FINISHED)
    deleted = 0
    for export in old.only("pk", "file").iterator():
        if export.file:
            export.file.storage.delete(export.file.name)  # a missing file is no error
        export.delete()
        deleted += 1
    jobs.temporary_files_prune(before=cutoff)  # left by workers killed mid-job, on this machine's disk
    return deleted

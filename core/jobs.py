"""Background jobs stored as rows (file exports): claim with attempt counting, stale runs, atomic files.

A job row has `status`, `attempts`, `progress`, `error`, `started_at`, `finished_at` and a `file`. These
helpers hold the parts that are the same for every such job, so each job keeps only its own work.
"""

import contextlib
import logging
import os
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# The database or the connection to it failed for a moment: the task retries instead of giving up.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
FINISHED = ("done", "failed")
# Deliveries of one job, counting those that killed their worker and the retries below: a job that
# crashes the worker every time ends failed instead of being handed out for ever.
ATTEMPT_LIMIT = 3


def retry_delay(retries: int) -> float:
    """Return seconds to wait before the next try: 10, 30, 90… with some jitter, well under the visibility timeout."""
    return 10 * 3**retries + random.uniform(0, 5)


def job_deliver(task, job_id: int, *, run, fail, database_down: str) -> None:
    """Run one delivery of a job's task: skip a job that was deleted, retry a passing database error with
    backoff, and once retries run out mark the job failed with the `database_down` reason.
    """
    try:
        run(job_id)
    except ObjectDoesNotExist:
        logger.warning("%s: job %s no longer exists, nothing to do", task.name, job_id)
    except TRANSIENT_ERRORS as error:
        if task.request.retries < task.max_retries:
            logger.warning("%s: job %s: %s; retrying", task.name, job_id, error)
            raise task.retry(exc=error, countdown=retry_delay(task.request.retries)) from error
        fail(job_id, database_down)


@transaction.atomic
def job_claim(model, job_id: int, *, running: str, attempt_limit: int, exhausted_reason: str):
    """Count one more attempt and mark the job running, or failed once attempts run out; return the row.

    A job already done or failed (a repeated delivery) is returned unchanged: the caller checks the status.
    """
    job = model.objects.select_for_update(of=("self",)).get(pk=job_id)
    if job.status in FINISHED:
        return job
    now = timezone.now()
    job.attempts += 1
    if job.attempts > attempt_limit:
        job.status, job.error, job.finished_at = "failed", exhausted_reason, now
        job.save(update_fields=["attempts", "status", "error", "finished_at"])
        return job
    job.status, job.started_at, job.progress, job.error = running, now, 0, ""
    job.save(update_fields=["attempts", "status", "started_at", "progress", "error"])
    return job


@transaction.atomic
def job_fail(model, job_id: int, *, reason: str):
    """Mark an unfinished job failed with a reason a person can read; a finished one stays as it is."""
    job = model.objects.select_for_update().get(pk=job_id)
    if job.status in FINISHED:
        return job
    job.status, job.error, job.finished_at = "failed", reason, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def job_progress(model, job_id: int, *, running: str, percent: int) -> None:
    """Commit the progress at once (one UPDATE); 100 is kept for the moment the file is in place."""
    model.objects.filter(pk=job_id, status=running).update(progress=max(0, min(percent, 99)))


def jobs_fail_stale(queryset, *, time_limit: int, reason: str, since: str = "started_at", now=None) -> int:
    """Mark failed the jobs of the queryset whose worker vanished long ago (by the since field); return how many.

    A job killed by its hard time limit is acknowledged and never delivered again, and one whose worker
    died comes back within the broker's visibility timeout; past both it will never finish.
    """
    now = now or timezone.now()
    visibility = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout", 3600)
    cutoff = now - timedelta(seconds=time_limit + visibility + 60)
    return queryset.filter(**{f"{since}__lt": cutoff}).update(status="failed", error=reason, finished_at=now)


@contextlib.contextmanager
def temporary_file(folder: Path, *, prefix: str, suffix: str = ".part"):
    """Yield (open binary handle, path) of a hidden file in the folder; flushed, synced and readable after.

    The file is removed if the block raises; otherwise the caller moves it into place with job_store.
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb", buffering=1024 * 1024) as handle:
            yield handle, path
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; the web process (maybe another user) must read the file.
        os.chmod(path, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def job_store(model, job_id: int, *, running: str, temporary: Path, name: str, fields: dict):
    """Move the finished file into place under its storage name and mark the job done, or leave no file.

    The rename happens under the row lock, so of two deliveries of one job only one file survives.
    """
    job = model.objects.get(pk=job_id)
    final_path = Path(job.file.storage.path(name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    moved = False
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=job_id)
            if locked.status != running:
                return locked  # another delivery finished first (or the job was failed meanwhile)
            os.replace(temporary, final_path)  # atomic on one filesystem: never a half-written final file
            moved = True
            locked.status = "done"
            locked.file.name = name
            locked.progress = 100
            locked.finished_at = timezone.now()
            for field, value in fields.items():
                setattr(locked, field, value)
            locked.save(update_fields=["status", "file", "progress", "finished_at", *fields])
        return locked
    except BaseException:
        if moved:  # the row could not say done: the file must not outlive it
            final_path.unlink(missing_ok=True)
        raise
    finally:
        Path(temporary).unlink(missing_ok=True)

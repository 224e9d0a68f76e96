"""The one path of every background job that makes a file (core.models.BackgroundJob).

A service records the job and calls `job_enqueue` inside its transaction; the task sends each delivery
through `job_deliver`, which calls the service's run function; that one calls `job_run` with the work
to do. The work writes into a `temporary_file` (on the worker's own disk), reports `job_progress` and
ends with `job_store`, which puts the finished file in the media storage (disk or bucket) in one step.
Whatever goes wrong ends in `job_fail`, and `jobs_fail_stale` ends the jobs no worker will finish.
Statuses are always the model's own (`model.Status`). Every PDF job takes this path through core.pdf_jobs.
"""

import contextlib
import contextvars
import hashlib
import logging
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from celery import current_app, shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone

from .storage import is_temporary, store_file

logger = logging.getLogger(__name__)

# The database or the connection to it failed for a moment: the task retries instead of giving up.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Deliveries of one job, counting those that killed their worker and the retries below: a job that
# crashes the worker every time ends failed instead of being handed out for ever.
ATTEMPT_LIMIT = 3


def retry_delay(retries: int) -> float:
    """Return seconds to wait before the next try: 10, 30, 90… with some jitter, well under the visibility timeout."""
    return 10 * 3**retries + random.uniform(0, 5)


def job_enqueue(model, job_id: int, *, task_name: str, queue_down: str) -> None:
    """Send the job's task to the worker once the transaction commits; if the queue is unreachable, keep
    the job queued and send it again in the background for JOB_QUEUE_RETRY_SECONDS, then fail it.

    The task is sent by its registered name, so a service never imports its task module. `queue_down`
    is the reason shown on the job, with `%(error)s` for what the broker said.
    """

    def send() -> None:
        try:
            current_app.send_task(task_name, args=[job_id])
        except Exception as error:  # the broker is down or misconfigured
            if settings.JOB_QUEUE_RETRY_SECONDS <= 0:
                logger.exception("Could not queue %s %s", model.__name__, job_id)
                job_fail(model, job_id, reason=queue_down % {"error": error})
                return
            logger.warning("Could not queue %s %s (%s); sending it again later", model.__name__, job_id, error)
            context = contextvars.copy_context()  # the request id goes along into the log lines
            thread = threading.Thread(
                target=context.run,
                args=(_send_until_accepted, model, job_id, task_name, queue_down),
                name=f"send-{task_name}-{job_id}",
                daemon=True,
            )
            thread.start()

    transaction.on_commit(send)


def _send_until_accepted(model, job_id: int, task_name: str, queue_down: str) -> None:
    """Send a task again every few seconds until the broker takes it; past the time allowed, fail the job.

    The job stays queued meanwhile, so its page says it is waiting rather than showing an error.
    """
    deadline = time.monotonic() + settings.JOB_QUEUE_RETRY_SECONDS
    delay = 1.0
    try:
        while True:
            time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            try:
                current_app.send_task(task_name, args=[job_id])
            except Exception as error:
                if time.monotonic() >= deadline:
                    logger.error("Gave up queueing %s %s: %s", model.__name__, job_id, error)
                    job_fail(model, job_id, reason=queue_down % {"error": error})
                    return
                delay = min(delay * 2, 10)
            else:
                logger.info("Queued %s %s once the broker answered again", model.__name__, job_id)
                return
    finally:
        connections.close_all()  # this thread's own database connection


def job_deliver(task, model, job_id: int, *, run: Callable[[], object], database_down: str) -> None:
    """Run one delivery of a job's task: skip a job that was deleted, retry a passing database error with
    backoff, and once retries run out mark the job failed with the `database_down` reason.
    """
    try:
        run()
    except ObjectDoesNotExist:
        logger.warning("%s: job %s no longer exists, nothing to do", task.name, job_id)
    except TRANSIENT_ERRORS as error:
        if task.request.retries < task.max_retries:
            logger.warning("%s: job %s: %s; retrying", task.name, job_id, error)
            raise task.retry(exc=error, countdown=retry_delay(task.request.retries)) from error
        job_fail(model, job_id, reason=database_down)


def job_task(*, name: str, model, run: Callable[..., object], soft_time_limit: int, time_limit: int, database_down):
    """Register the Celery task of one kind of job: it takes the job's id and sends it through `job_deliver`.

    `run` is the service, called with the job's id; the task is acknowledged late, so a job whose worker
    died is delivered again (and counted by `job_claim`), and it retries a passing database error.
    """

    @shared_task(
        bind=True,
        name=name,
        acks_late=True,
        reject_on_worker_lost=True,
        soft_time_limit=soft_time_limit,
        time_limit=time_limit,
        max_retries=ATTEMPT_LIMIT - 1,
        ignore_result=True,
    )
    def task(self, job_id: int) -> None:
        job_deliver(self, model, job_id, run=lambda: run(job_id), database_down=str(database_down))

    task.__doc__ = f"Run one {model._meta.verbose_name} job through core.jobs."
    return task


def job_run(
    model,
    job_id: int,
    *,
    work: Callable,
    failure_reason: Callable[[Exception], str],
    interrupted: str,
    attempt_limit: int = ATTEMPT_LIMIT,
):
    """Claim the job and do its `work(job)` exactly once however often it is delivered; return the row.

    Call it outside any transaction: the claim and every progress step are committed at once, so an
    attempt that kills its worker still counts. A transient database error propagates for the task to
    retry; any other error marks the job failed with `failure_reason(error)`. `interrupted` is the
    reason once more than `attempt_limit` deliveries have started.
    """
    job = job_claim(model, job_id, attempt_limit=attempt_limit, exhausted_reason=interrupted)
    if job.status != model.Status.RUNNING:
        return job
    try:
        return work(job)
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:
        logger.exception("%s %s failed", model.__name__, job_id)
        return job_fail(model, job_id, reason=failure_reason(error))


@transaction.atomic
def job_claim(model, job_id: int, *, attempt_limit: int, exhausted_reason: str):
    """Count one more attempt and mark the job running, or failed once attempts run out; return the row.

    A job already done or failed (a repeated delivery) is returned unchanged: the caller checks the status.
    """
    job = model.objects.select_for_update(of=("self",)).get(pk=job_id)
    if job.status in model.FINISHED:
        return job
    now = timezone.now()
    job.attempts += 1
    if job.attempts > attempt_limit:
        job.status, job.error, job.finished_at = model.Status.FAILED, exhausted_reason, now
        job.save(update_fields=["attempts", "status", "error", "finished_at"])
        return job
    job.status, job.started_at, job.progress, job.error = model.Status.RUNNING, now, 0, ""
    job.save(update_fields=["attempts", "status", "started_at", "progress", "error"])
    return job


@transaction.atomic
def job_fail(model, job_id: int, *, reason: str):
    """Mark an unfinished job failed (with the time) and a reason a person can read; a finished one stays."""
    job = model.objects.select_for_update(of=("self",)).get(pk=job_id)
    if job.status in model.FINISHED:
        return job
    job.status, job.error, job.finished_at = model.Status.FAILED, reason, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def job_progress(model, job_id: int, *, percent: int) -> None:
    """Commit the progress of a running job at once (one UPDATE); 100 is kept for the moment the file is in place."""
    model.objects.filter(pk=job_id, status=model.Status.RUNNING).update(progress=max(0, min(percent, 99)))


def jobs_fail_stale(model, *, time_limit: int, running_reason: str, queued_reason: str, now=None) -> int:
    """Mark failed the jobs whose worker vanished, or that no worker took, long ago; return how many.

    A job killed by its hard time limit is acknowledged and never delivered again, and one whose worker
    died comes back within the broker's visibility timeout; past both it will never finish.
    """
    now = now or timezone.now()
    visibility = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout", 3600)
    cutoff = now - timedelta(seconds=time_limit + visibility + 60)
    failed = {"status": model.Status.FAILED, "finished_at": now}
    running = model.objects.filter(status=model.Status.RUNNING, started_at__lt=cutoff)
    queued = model.objects.filter(status=model.Status.QUEUED, created_at__lt=cutoff)
    return running.update(error=running_reason, **failed) + queued.update(error=queued_reason, **failed)


@contextlib.contextmanager
def temporary_file(folder: Path | None = None, *, prefix: str, suffix: str = ".part"):
    """Yield (open binary handle, path) of a hidden file on this machine's disk; flushed, synced, readable after.

    The file is in JOB_SCRATCH_DIR (or `folder`, kept for older callers; never needed). It is removed if
    the block raises; otherwise the caller stores it with job_store.
    """
    folder = Path(folder or settings.JOB_SCRATCH_DIR)
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


def job_store(model, job_id: int, *, temporary: Path, name: str, fields: dict | None = None):
    """Put the finished file in the media storage under its name and mark the job done, or leave no file.

    Records the file's size and SHA-256 with the job's own `fields`. The file is stored under the row
    lock, in one step (a rename on disk, one upload to a bucket, where an object appears only whole);
    a job's name is its own, so two deliveries of one job leave one file.
    """
    fields = {**(fields or {}), **_size_and_sha256(Path(temporary))}
    storage = model._meta.get_field("file").storage
    moved = False
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update(of=("self",)).get(pk=job_id)
            if locked.status != model.Status.RUNNING:
                return locked  # another delivery finished first (or the job was failed meanwhile)
            store_file(storage, name, Path(temporary))
            moved = True
            locked.status = model.Status.DONE
            locked.file.name = name
            locked.progress = 100
            locked.finished_at = timezone.now()
            for field, value in fields.items():
                setattr(locked, field, value)
            locked.save(update_fields=["status", "file", "progress", "finished_at", *fields])
        return locked
    except BaseException:
        if moved:  # the row could not say done: the file must not outlive it
            storage.delete(name)
        raise
    finally:
        Path(temporary).unlink(missing_ok=True)


def temporary_files_prune(*, before) -> int:
    """Remove half-written files left by workers killed mid-job, last written before a time; return how many.

    Never one a running job writes: a job ends within its hard time limit, far shorter than callers' ages.
    """
    folder = Path(settings.JOB_SCRATCH_DIR)
    if not folder.is_dir():
        return 0
    cutoff = before.timestamp()
    removed = 0
    for path in folder.rglob(".*.part"):
        try:
            if is_temporary(path.name) and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            pass  # gone already, or not ours to remove
    return removed


def _size_and_sha256(path: Path) -> dict:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}

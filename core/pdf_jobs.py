"""The PDF job of every app (a masterplan's book, an evaluation report, a Bimtek document) on core.jobs' one path.

An app says only what differs: its model, its task's name, how its HTML becomes PDF bytes and where the file
goes. Queueing, the time limits, the claim, progress, storage, the clean-up of renders no worker will finish
and every reason a person reads when a PDF gave up are written once, here.
"""

from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from . import jobs

# What a person reads when a PDF job gave up: the same for every kind of PDF.
PDF_DATABASE_DOWN = gettext_lazy(
    "The PDF could not be produced because the database did not answer. Try again in a few minutes."
)
PDF_INTERRUPTED = gettext_lazy(
    "The PDF could not be produced: its rendering was interrupted %(count)d times, the document may be "
    "too large for the server. Try again; if it happens again, tell the portal administrator."
)
PDF_QUEUE_DOWN = gettext_lazy("The PDF could not be put in the rendering queue (%(error)s). Try again later.")
PDF_STOPPED = gettext_lazy(
    "The PDF rendering stopped without finishing. Try again; if it happens again, tell the portal administrator."
)
PDF_NEVER_TAKEN = gettext_lazy(
    "No worker took the PDF from the queue. Try again; if it happens again, tell the portal administrator."
)

# render(job, on_progress) returns (PDF bytes, page count); on_progress(percent) commits the job's progress.
Renderer = Callable[[object, Callable[[int], None]], tuple[bytes, int]]


def pdf_failure_reason(error: Exception) -> str:
    """Return what a person reads when rendering a PDF failed: too slow, or an error of the portal."""
    if isinstance(error, SoftTimeLimitExceeded):
        minutes = max(round(settings.CELERY_PDF_SOFT_TIME_LIMIT / 60), 1)
        return gettext(
            "The PDF took longer than %(minutes)d minutes to render and was stopped. "
            "Try again; if it happens again, tell the portal administrator."
        ) % {"minutes": minutes}
    return gettext(
        "The PDF could not be produced because of an error in the portal (%(error)s). "
        "Try again; if it happens again, tell the portal administrator."
    ) % {"error": f"{type(error).__name__}: {error}"[:300]}


def pdf_job_enqueue(model, job_id: int, *, task_name: str) -> None:
    """Send a PDF job's task to the worker once the transaction commits (core.jobs.job_enqueue)."""
    jobs.job_enqueue(model, job_id, task_name=task_name, queue_down=str(PDF_QUEUE_DOWN))


def pdf_job_task(*, name: str, model, run: Callable[[int], object]):
    """Register the Celery task of one kind of PDF job, with the PDF time limits (core.jobs.job_task)."""
    return jobs.job_task(
        name=name,
        model=model,
        run=run,
        soft_time_limit=settings.CELERY_PDF_SOFT_TIME_LIMIT,
        time_limit=settings.CELERY_PDF_TIME_LIMIT,
        database_down=PDF_DATABASE_DOWN,
    )


def pdf_job_run(
    model, job_id: int, *, render: Renderer, file_name: Callable[[object], str], attempt_limit: int = jobs.ATTEMPT_LIMIT
):
    """Render a queued PDF job into its file, exactly once however often it is delivered; return the row.

    `render(job, on_progress)` lays the document out; the file is stored under `file_name(job)` with its page
    count. Call it outside any transaction (core.jobs.job_run): the claim and each progress step are committed
    at once. A transient database error propagates for the task to retry; any other error fails the job.
    """

    def work(job):
        pdf, page_count = render(job, lambda percent: jobs.job_progress(model, job.pk, percent=percent))
        with jobs.temporary_file(prefix=f".{model._meta.app_label}-") as (handle, temporary):
            handle.write(pdf)
        return jobs.job_store(
            model, job.pk, temporary=temporary, name=file_name(job), fields={"page_count": page_count}
        )

    return jobs.job_run(
        model,
        job_id,
        work=work,
        failure_reason=pdf_failure_reason,
        interrupted=str(PDF_INTERRUPTED) % {"count": attempt_limit},
        attempt_limit=attempt_limit,
    )


def pdf_jobs_fail_stale(model, *, now=None) -> int:
    """Mark failed the renders whose worker vanished, or that no worker took, long ago; return how many.

    While such a render looks unfinished no new one of the same document can start.
    """
    return jobs.jobs_fail_stale(
        model,
        time_limit=settings.CELERY_PDF_TIME_LIMIT,
        running_reason=str(PDF_STOPPED),
        queued_reason=str(PDF_NEVER_TAKEN),
        now=now,
    )

"""Celery tasks of the OPD app: each takes an id and calls a service; the work lives in the service."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from core import jobs
from opd.models import SubmissionExport
from opd.services.exports import (
    TASK_NAME,
    submission_export_run,
    submission_exports_fail_stale,
    submission_exports_prune,
)


@shared_task(
    bind=True,
    name=TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=jobs.ATTEMPT_LIMIT - 1,
    ignore_result=True,
)
def export_submissions(self, export_id: int) -> None:
    """Write one submission export; retry a passing database error with backoff, then mark it failed."""
    jobs.job_deliver(
        self,
        SubmissionExport,
        export_id,
        run=lambda: submission_export_run(export_id=export_id),
        database_down=_(
            "The export could not be produced because the database did not answer. Try again in a few minutes."
        ),
    )


@shared_task(name="opd.prune_exports", ignore_result=True)
def prune_exports() -> dict:
    """Delete expired submission exports and fail those whose worker vanished (Celery beat runs it daily)."""
    return {"stale": submission_exports_fail_stale(), "deleted": submission_exports_prune()}

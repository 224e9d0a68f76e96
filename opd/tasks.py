"""Celery tasks of the OPD app: each takes an id and calls a service; the work lives in the service."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext_lazy

from core import jobs
from opd.models import SubmissionExport
from opd.services.exports import (
    TASK_NAME,
    submission_export_run,
    submission_exports_fail_stale,
    submission_exports_prune,
)

export_submissions = jobs.job_task(
    name=TASK_NAME,
    model=SubmissionExport,
    run=lambda job_id: submission_export_run(export_id=job_id),
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    database_down=gettext_lazy(
        "The export could not be produced because the database did not answer. Try again in a few minutes."
    ),
)


@shared_task(name="opd.prune_exports", ignore_result=True)
def prune_exports() -> dict:
    """Delete expired submission exports and fail those whose worker vanished (Celery beat runs it daily)."""
    return {"stale": submission_exports_fail_stale(), "deleted": submission_exports_prune()}

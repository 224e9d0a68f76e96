"""Celery tasks of the OPD app: each takes an id and calls a service; the work lives in the service."""

import logging
import random

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from mojokerto_portal import jobs
from opd.models import SubmissionExport
from opd.services.exports import submission_export_run

logger = logging.getLogger(__name__)

# Deliveries of one export, counting those that killed their worker and the retries below.
ATTEMPT_LIMIT = 3


def retry_delay(retries: int) -> float:
    """Return seconds to wait before the next try: 10, 30, 90… with some jitter, well under the visibility timeout."""
    return 10 * 3**retries + random.uniform(0, 5)


@shared_task(
    bind=True,
    name="opd.export_submissions",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=ATTEMPT_LIMIT - 1,
    ignore_result=True,
)
def export_submissions(self, export_id: int) -> None:
    """Write one submission export; retry a passing database error with backoff, then mark it failed."""
    try:
        submission_export_run(export_id=export_id, attempt_limit=ATTEMPT_LIMIT)
    except SubmissionExport.DoesNotExist:
        logger.warning("Submission export %s no longer exists: nothing to write", export_id)
    except jobs.TRANSIENT_ERRORS as error:
        if self.request.retries < self.max_retries:
            logger.warning("Submission export %s: %s; retrying", export_id, error)
            raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
        jobs.job_fail(
            SubmissionExport,
            export_id,
            reason=_(
                "The export could not be produced because the database did not answer. Try again in a few minutes."
            ),
        )

"""Celery tasks of the masterplan: each takes an id and calls a service; the work lives in the service."""

import logging
import random

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from .models import MasterplanExport
from .rendering import TRANSIENT_ERRORS, masterplan_export_fail, masterplan_export_render

logger = logging.getLogger(__name__)

# Deliveries of one export, counting those that killed their worker and the retries below: a document
# that crashes the worker every time ends failed instead of being handed out for ever.
ATTEMPT_LIMIT = 3


def retry_delay(retries: int) -> float:
    """Return seconds to wait before the next try: 10, 30, 90… with some jitter, well under the visibility timeout."""
    return 10 * 3**retries + random.uniform(0, 5)


@shared_task(
    bind=True,
    name="masterplan.render_export",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_PDF_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_PDF_TIME_LIMIT,
    max_retries=ATTEMPT_LIMIT - 1,
    ignore_result=True,
)
def render_masterplan_export(self, export_id: int) -> None:
    """Render one PDF export; retry a passing database error with backoff, then mark the export failed."""
    try:
        masterplan_export_render(export_id=export_id, attempt_limit=ATTEMPT_LIMIT)
    except MasterplanExport.DoesNotExist:
        logger.warning("Masterplan export %s no longer exists: nothing to render", export_id)
    except TRANSIENT_ERRORS as error:
        if self.request.retries < self.max_retries:
            logger.warning("Masterplan export %s: %s; retrying", export_id, error)
            raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
        masterplan_export_fail(
            export_id=export_id,
            reason=_("The PDF could not be produced because the database did not answer. Try again in a few minutes."),
        )

"""Celery tasks of the masterplan: each takes an id and calls a service; the work lives in the service."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from core import jobs

from .models import MasterplanExport
from .rendering import masterplan_export_render
from .services import RENDER_TASK_NAME


@shared_task(
    bind=True,
    name=RENDER_TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_PDF_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_PDF_TIME_LIMIT,
    max_retries=jobs.ATTEMPT_LIMIT - 1,
    ignore_result=True,
)
def render_masterplan_export(self, export_id: int) -> None:
    """Render one PDF export; retry a passing database error with backoff, then mark the export failed."""
    jobs.job_deliver(
        self,
        MasterplanExport,
        export_id,
        run=lambda: masterplan_export_render(export_id=export_id),
        database_down=_(
            "The PDF could not be produced because the database did not answer. Try again in a few minutes."
        ),
    )

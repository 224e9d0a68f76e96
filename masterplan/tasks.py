"""Celery tasks of the masterplan: each takes an id and calls a service; the work lives in the service."""

from django.conf import settings

from core import jobs
from core.jobs import PDF_DATABASE_DOWN

from .models import MasterplanExport
from .rendering import masterplan_export_render
from .services import RENDER_TASK_NAME

render_masterplan_export = jobs.job_task(
    name=RENDER_TASK_NAME,
    model=MasterplanExport,
    run=lambda job_id: masterplan_export_render(export_id=job_id),
    soft_time_limit=settings.CELERY_PDF_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_PDF_TIME_LIMIT,
    database_down=PDF_DATABASE_DOWN,
)

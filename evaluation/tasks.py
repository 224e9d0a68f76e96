"""Celery tasks of monitoring and evaluation: each takes an id (or nothing) and calls a service."""

from celery import shared_task
from django.conf import settings

from core import jobs
from core.jobs import PDF_DATABASE_DOWN

from .models import EvaluationExport
from .rendering import evaluation_export_render
from .services.exports import RENDER_TASK_NAME
from .services.reminders import reminders_send

render_evaluation_export = jobs.job_task(
    name=RENDER_TASK_NAME,
    model=EvaluationExport,
    run=lambda job_id: evaluation_export_render(export_id=job_id),
    soft_time_limit=settings.CELERY_PDF_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_PDF_TIME_LIMIT,
    database_down=PDF_DATABASE_DOWN,
)


@shared_task(name="evaluation.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """E-mail the OPDs whose programme reports are still due (Celery beat runs it daily)."""
    return reminders_send()

"""Celery tasks of monitoring and evaluation: each takes an id (or nothing) and calls a service."""

from celery import shared_task

from core.pdf_jobs import pdf_job_task

from .models import EvaluationExport
from .rendering import evaluation_export_render
from .services.exports import RENDER_TASK_NAME
from .services.reminders import reminders_send

render_evaluation_export = pdf_job_task(
    name=RENDER_TASK_NAME, model=EvaluationExport, run=lambda job_id: evaluation_export_render(export_id=job_id)
)


@shared_task(name="evaluation.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """E-mail the OPDs whose programme reports are still due (Celery beat runs it daily)."""
    return reminders_send()

"""Celery tasks of the Bimtek: each takes an id (or nothing) and calls a service; the work lives in the service."""

from celery import shared_task

from core.pdf_jobs import pdf_job_task

from .models import BimtekDocument
from .rendering import document_render
from .services.documents import RENDER_TASK_NAME
from .services.reminders import reminders_send

render_document = pdf_job_task(
    name=RENDER_TASK_NAME, model=BimtekDocument, run=lambda job_id: document_render(document_id=job_id)
)


@shared_task(name="bimtek.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """E-mail the reminders due today before each Bimtek stage (Celery beat runs it daily)."""
    return reminders_send()

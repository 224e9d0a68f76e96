"""Celery tasks of the masterplan: each takes an id and calls a service; the work lives in the service."""

from core.pdf_jobs import pdf_job_task

from .models import MasterplanExport
from .rendering import masterplan_export_render
from .services import RENDER_TASK_NAME

render_masterplan_export = pdf_job_task(
    name=RENDER_TASK_NAME, model=MasterplanExport, run=lambda job_id: masterplan_export_render(export_id=job_id)
)

"""Celery tasks of the Bimtek: each takes an id (or nothing) and calls a service; the work lives in the service."""

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from core import jobs

from .models import BimtekDocument
from .rendering import document_render
from .services.documents import RENDER_TASK_NAME
from .services.reminders import reminders_send


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
def render_document(self, document_id: int) -> None:
    """Render one Bimtek PDF; retry a passing database error with backoff, then mark the document failed."""
    jobs.job_deliver(
        self,
        BimtekDocument,
        document_id,
        run=lambda: document_render(document_id=document_id),
        database_down=_(
            "The PDF could not be produced because the database did not answer. Try again in a few minutes."
        ),
    )


@shared_task(name="bimtek.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """E-mail the reminders due today before each Bimtek stage (Celery beat runs it daily)."""
    return reminders_send()

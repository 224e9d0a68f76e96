"""Turning a queued Bimtek document into its PDF file: claimed and counted, rendered, stored atomically."""

from core import jobs
from core.pdf_jobs import pdf_job_run

from .documents import attendance_list_pdf, continuity_recap_pdf
from .models import BimtekDocument

FOLDER = "bimtek"


def document_render(*, document_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> BimtekDocument:
    """Render a queued document into its PDF file, exactly once however often the job is delivered (core.pdf_jobs)."""
    return pdf_job_run(BimtekDocument, document_id, render=_render, file_name=_file_name, attempt_limit=attempt_limit)


def _render(document: BimtekDocument, on_progress) -> tuple[bytes, int]:
    if document.kind == BimtekDocument.Kind.ATTENDANCE_LIST:
        return attendance_list_pdf(document.session, on_progress=on_progress)
    return continuity_recap_pdf(document.masterplan, on_progress=on_progress)


def _file_name(document: BimtekDocument) -> str:
    return f"{FOLDER}/{document.kind}-{document.pk}.pdf"

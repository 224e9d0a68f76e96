"""Turning a queued masterplan export (a book, or the set) into its PDF: claimed, counted, rendered, stored."""

from core import jobs
from core.pdf_jobs import pdf_job_run

from .books import FILE_SLUGS
from .models import MasterplanExport
from .pdf import render_masterplan_pdf

FOLDER = "masterplan"


def masterplan_export_render(*, export_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> MasterplanExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered (core.pdf_jobs)."""
    return pdf_job_run(MasterplanExport, export_id, render=_render, file_name=_file_name, attempt_limit=attempt_limit)


def _render(export: MasterplanExport, on_progress) -> tuple[bytes, int]:
    return render_masterplan_pdf(export.masterplan, version=export.version, book=export.book, on_progress=on_progress)


def _file_name(export: MasterplanExport) -> str:
    return f"{FOLDER}/masterplan-{export.pk}-{FILE_SLUGS[export.book]}-v{export.version}.pdf"

"""Turning a queued evaluation export into its PDF file: claimed and counted, rendered, stored atomically."""

from core import jobs
from core.pdf_jobs import pdf_job_run

from .models import EvaluationExport
from .pdf import render_evaluation_pdf

FOLDER = "evaluation"


def evaluation_export_render(*, export_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> EvaluationExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered (core.pdf_jobs)."""
    return pdf_job_run(EvaluationExport, export_id, render=_render, file_name=_file_name, attempt_limit=attempt_limit)


def _render(export: EvaluationExport, on_progress) -> tuple[bytes, int]:
    return render_evaluation_pdf(export.period, on_progress=on_progress)


def _file_name(export: EvaluationExport) -> str:
    return f"{FOLDER}/laporan-monev-{export.period.year}-{export.pk}.pdf"

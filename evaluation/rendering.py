"""Turning a queued evaluation export into its PDF file: claimed and counted, rendered, stored atomically."""

from pathlib import Path

from core import jobs

from .models import EvaluationExport
from .pdf import render_evaluation_pdf

FOLDER = "evaluation"


def evaluation_export_render(*, export_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> EvaluationExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered."""
    return jobs.job_run(
        EvaluationExport,
        export_id,
        work=_render,
        failure_reason=jobs.pdf_failure_reason,
        interrupted=str(jobs.PDF_INTERRUPTED) % {"count": attempt_limit},
        attempt_limit=attempt_limit,
    )


def _render(export: EvaluationExport) -> EvaluationExport:
    pdf, page_count = render_evaluation_pdf(
        export.period, on_progress=lambda percent: jobs.job_progress(EvaluationExport, export.pk, percent=percent)
    )
    name = f"{FOLDER}/laporan-monev-{export.period.year}-{export.pk}.pdf"
    folder = Path(export.file.storage.path(FOLDER))
    with jobs.temporary_file(folder, prefix=".evaluation-") as (handle, temporary):
        handle.write(pdf)
    return jobs.job_store(
        EvaluationExport, export.pk, temporary=temporary, name=name, fields={"page_count": page_count}
    )

"""Turning a queued masterplan export (a book, or the set) into its PDF: claimed, counted, rendered, stored."""

from core import jobs

from .books import FILE_SLUGS
from .models import MasterplanExport
from .pdf import render_masterplan_pdf

FOLDER = "masterplan"


def masterplan_export_render(*, export_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> MasterplanExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered.

    Call it outside any transaction: the claim (with its attempt count) and every progress step are
    committed at once, so a render that kills its worker still counts and the page can show progress.
    A transient database error propagates for the task to retry; any other error marks the export failed.
    """
    return jobs.job_run(
        MasterplanExport,
        export_id,
        work=_render,
        failure_reason=jobs.pdf_failure_reason,
        interrupted=str(jobs.PDF_INTERRUPTED) % {"count": attempt_limit},
        attempt_limit=attempt_limit,
    )


def _render(export: MasterplanExport) -> MasterplanExport:
    pdf, page_count = render_masterplan_pdf(
        export.masterplan,
        version=export.version,
        book=export.book,
        on_progress=lambda percent: jobs.job_progress(MasterplanExport, export.pk, percent=percent),
    )
    name = f"{FOLDER}/masterplan-{export.pk}-{FILE_SLUGS[export.book]}-v{export.version}.pdf"
    with jobs.temporary_file(prefix=".masterplan-") as (handle, temporary):
        handle.write(pdf)
    return jobs.job_store(
        MasterplanExport, export.pk, temporary=temporary, name=name, fields={"page_count": page_count}
    )

"""Turning a queued Bimtek document into its PDF file: claimed and counted, rendered, stored atomically."""

from core import jobs

from .documents import attendance_list_pdf, continuity_recap_pdf
from .models import BimtekDocument

FOLDER = "bimtek"


def document_render(*, document_id: int, attempt_limit: int = jobs.ATTEMPT_LIMIT) -> BimtekDocument:
    """Render a queued document into its PDF file, exactly once however often the job is delivered.

    Call it outside any transaction (core.jobs.job_run): the claim and each progress step are committed at
    once. A transient database error propagates for the task to retry; any other error fails the document.
    """
    return jobs.job_run(
        BimtekDocument,
        document_id,
        work=_render,
        failure_reason=jobs.pdf_failure_reason,
        interrupted=str(jobs.PDF_INTERRUPTED) % {"count": attempt_limit},
        attempt_limit=attempt_limit,
    )


def _render(document: BimtekDocument) -> BimtekDocument:
    def progress(percent: int) -> None:
        jobs.job_progress(BimtekDocument, document.pk, percent=percent)

    if document.kind == BimtekDocument.Kind.ATTENDANCE_LIST:
        pdf, page_count = attendance_list_pdf(document.session, on_progress=progress)
    else:
        pdf, page_count = continuity_recap_pdf(document.masterplan, on_progress=progress)
    with jobs.temporary_file(prefix=".bimtek-") as (handle, temporary):
        handle.write(pdf)
    name = f"{FOLDER}/{document.kind}-{document.pk}.pdf"
    fields = {"page_count": page_count}
    return jobs.job_store(BimtekDocument, document.pk, temporary=temporary, name=name, fields=fields)

"""Turning a queued masterplan export into its PDF file: claimed and counted, rendered, stored atomically."""

import hashlib
import logging
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from core import jobs

from .models import MasterplanExport
from .pdf import render_masterplan_pdf

logger = logging.getLogger(__name__)

Status = MasterplanExport.Status


def masterplan_export_render(*, export_id: int, attempt_limit: int = 3) -> MasterplanExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered.

    Call it outside any transaction: the claim (with its attempt count) and every progress step are
    committed at once, so a render that kills its worker still counts and the page can show progress.
    A transient database error propagates for the task to retry; any other error marks the export failed.
    """
    export = jobs.job_claim(
        MasterplanExport,
        export_id,
        running=Status.RENDERING,
        attempt_limit=attempt_limit,
        exhausted_reason=_(
            "The PDF could not be produced: its rendering was interrupted %(count)d times, the document may be "
            "too large for the server. Try again; if it happens again, tell the portal administrator."
        )
        % {"count": attempt_limit},
    )
    if export.status != Status.RENDERING:
        return export
    try:
        pdf, page_count = render_masterplan_pdf(
            export.masterplan,
            version=export.version,
            on_progress=lambda percent: jobs.job_progress(
                MasterplanExport, export.pk, running=Status.RENDERING, percent=percent
            ),
        )
        return _store(export, pdf, page_count)
    except jobs.TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        minutes = max(round(settings.CELERY_PDF_SOFT_TIME_LIMIT / 60), 1)
        reason = _(
            "The PDF took longer than %(minutes)d minutes to render and was stopped. "
            "Try again; if it happens again, tell the portal administrator."
        ) % {"minutes": minutes}
        return masterplan_export_fail(export_id=export.pk, reason=reason)
    except Exception as error:
        logger.exception("Masterplan export %s failed", export.pk)
        detail = f"{type(error).__name__}: {error}"[:300]
        reason = _(
            "The PDF could not be produced because of an error in the portal (%(error)s). "
            "Try again; if it happens again, tell the portal administrator."
        ) % {"error": detail}
        return masterplan_export_fail(export_id=export.pk, reason=reason)


def masterplan_export_fail(*, export_id: int, reason: str) -> MasterplanExport:
    """Mark an unfinished export failed with a reason a person can read; a finished one stays as it is."""
    return jobs.job_fail(MasterplanExport, export_id, reason=reason)


def masterplan_exports_fail_stale(*, now=None) -> int:
    """Mark failed the renders whose worker vanished long ago; return how many.

    A render killed by its hard time limit is acknowledged and never delivered again, and one whose
    worker died comes back within the broker's visibility timeout; past both it will never finish,
    and while it looks running no new export of its masterplan can start.
    """
    return jobs.jobs_fail_stale(
        MasterplanExport.objects.filter(status=Status.RENDERING),
        time_limit=settings.CELERY_PDF_TIME_LIMIT,
        reason=_(
            "The PDF rendering stopped without finishing. Try again; if it happens again, tell the portal "
            "administrator."
        ),
        now=now,
    )


def _store(export: MasterplanExport, pdf: bytes, page_count: int) -> MasterplanExport:
    """Move the PDF into place under its final name and mark the export done, or leave no file at all."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    name = f"masterplan/masterplan-{export.pk}-v{export.version}-{sha256[:8]}.pdf"
    folder = Path(export.file.storage.path(name)).parent
    with jobs.temporary_file(folder, prefix=".masterplan-") as (handle, temporary):
        handle.write(pdf)
    return jobs.job_store(
        MasterplanExport,
        export.pk,
        running=Status.RENDERING,
        temporary=temporary,
        name=name,
        fields={"sha256": sha256, "size": len(pdf), "page_count": page_count},
    )

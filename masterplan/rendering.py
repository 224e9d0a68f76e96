"""Turning a queued masterplan export into its PDF file: claimed and counted, rendered, stored atomically."""

import hashlib
import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MasterplanExport
from .pdf import render_masterplan_pdf

logger = logging.getLogger(__name__)

Status = MasterplanExport.Status
# The database or the connection to it failed for a moment: the task retries instead of giving up.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def masterplan_export_render(*, export_id: int, attempt_limit: int = 3) -> MasterplanExport:
    """Render a queued export into its PDF file, exactly once however often the job is delivered.

    Call it outside any transaction: the claim (with its attempt count) and every progress step are
    committed at once, so a render that kills its worker still counts and the page can show progress.
    A transient database error propagates for the task to retry; any other error marks the export failed.
    """
    export = _claim(export_id, attempt_limit)
    if export.status != Status.RENDERING:
        return export
    try:
        pdf, page_count = render_masterplan_pdf(
            export.masterplan, version=export.version, on_progress=lambda percent: _progress(export.pk, percent)
        )
        return _store(export, pdf, page_count)
    except TRANSIENT_ERRORS:
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


@transaction.atomic
def masterplan_export_fail(*, export_id: int, reason: str) -> MasterplanExport:
    """Mark an unfinished export failed with a reason a person can read; a finished one stays as it is."""
    export = MasterplanExport.objects.select_for_update().get(pk=export_id)
    if export.status in (Status.DONE, Status.FAILED):
        return export
    export.status = Status.FAILED
    export.error = reason
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def masterplan_exports_fail_stale(*, now=None) -> int:
    """Mark failed the renders whose worker vanished long ago; return how many.

    A render killed by its hard time limit is acknowledged and never delivered again, and one whose
    worker died comes back within the broker's visibility timeout; past both it will never finish,
    and while it looks running no new export of its masterplan can start.
    """
    visibility = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout", 3600)
    limit = settings.CELERY_PDF_TIME_LIMIT + visibility + 60
    cutoff = (now or timezone.now()) - timedelta(seconds=limit)
    stale = MasterplanExport.objects.filter(status=Status.RENDERING, started_at__lt=cutoff)
    return stale.update(
        status=Status.FAILED,
        error=_(
            "The PDF rendering stopped without finishing. Try again; if it happens again, tell the portal "
            "administrator."
        ),
        finished_at=now or timezone.now(),
    )


@transaction.atomic
def _claim(export_id: int, attempt_limit: int) -> MasterplanExport:
    """Count one more attempt and mark the export rendering, or failed once attempts run out."""
    export = MasterplanExport.objects.select_for_update(of=("self",)).select_related("masterplan").get(pk=export_id)
    if export.status in (Status.DONE, Status.FAILED):
        return export  # a repeated delivery of a finished job: nothing to do
    now = timezone.now()
    export.attempts += 1
    if export.attempts > attempt_limit:
        export.status = Status.FAILED
        export.error = _(
            "The PDF could not be produced: its rendering was interrupted %(count)d times, the document may be "
            "too large for the server. Try again; if it happens again, tell the portal administrator."
        ) % {"count": attempt_limit}
        export.finished_at = now
        export.save(update_fields=["attempts", "status", "error", "finished_at"])
        return export
    export.status = Status.RENDERING
    export.started_at = now
    export.progress = 0
    export.error = ""
    export.save(update_fields=["attempts", "status", "started_at", "progress", "error"])
    return export


def _progress(export_id: int, percent: int) -> None:
    """Commit the progress at once (autocommit); 100 is kept for the moment the file is in place."""
    MasterplanExport.objects.filter(pk=export_id, status=Status.RENDERING).update(progress=min(percent, 99))


def _store(export: MasterplanExport, pdf: bytes, page_count: int) -> MasterplanExport:
    """Move the PDF into place under its final name and mark the export done, or leave no file at all."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    name = f"masterplan/masterplan-{export.pk}-v{export.version}-{sha256[:8]}.pdf"
    final_path = Path(export.file.storage.path(name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(final_path.parent, pdf)
    moved = False
    try:
        with transaction.atomic():
            locked = MasterplanExport.objects.select_for_update().get(pk=export.pk)
            if locked.status != Status.RENDERING:
                return locked  # another delivery of this job finished first: its file is the one
            os.replace(temporary, final_path)  # atomic on one filesystem: never a half-written final file
            moved = True
            locked.status = Status.DONE
            locked.file.name = name
            locked.sha256 = sha256
            locked.size = len(pdf)
            locked.page_count = page_count
            locked.progress = 100
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "file", "sha256", "size", "page_count", "progress", "finished_at"])
        return locked
    except BaseException:
        if moved:  # the row could not say done: the file must not outlive it
            final_path.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)


def _write_temporary(folder: Path, content: bytes) -> Path:
    """Write the content to a hidden temporary file in the folder, flushed to disk; return its path."""
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".masterplan-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; the web process (maybe another user) must read the file.
        os.chmod(path, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path

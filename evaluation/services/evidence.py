"""Evidence files (data dukung) of a report: the upload rules and storage of core.uploads, the report's checks."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.uploads import upload_store, validate_upload

from .. import access
from ..models import ProgrammeReport, ReportEvent, ReportEvidence
from .reports import _locked, _record


def _check_can_change(report, by) -> None:
    if not access.leads(by, report):
        raise PermissionDenied(_("Only staff of the programme's lead OPD change its report's evidence."))
    if not access.can_edit_report(by, report):
        raise ValidationError(_("Evidence can only change while the report is a draft or returned for revision."))


def evidence_add(*, report: ProgrammeReport, by, upload, description: str = "") -> ReportEvidence:
    """Store an uploaded evidence file for the report, after checking its content and size."""
    file_type = validate_upload(upload)

    def build(original: str, sha256: str) -> ReportEvidence:
        locked = _locked(report)
        _check_can_change(locked, by)
        if locked.evidence.count() >= settings.ATTACHMENT_MAX_COUNT:
            limit = {"count": settings.ATTACHMENT_MAX_COUNT}
            raise ValidationError(_("A report can have at most %(count)d evidence files.") % limit)
        _record(locked, by=by, action=ReportEvent.Action.EVIDENCE_ADDED, note=original)
        return ReportEvidence(
            report=locked,
            original_name=original,
            content_type=file_type.content_type,
            size=upload.size,
            sha256=sha256,
            description=(description or "").strip()[:200],
            uploaded_by=by,
        )

    return upload_store(upload, file_type, build)


@transaction.atomic
def evidence_remove(*, evidence: ReportEvidence, by) -> None:
    """Delete an evidence file (and its stored file, once the deletion has committed)."""
    locked = _locked(evidence.report)
    _check_can_change(locked, by)
    name, storage = evidence.file.name, evidence.file.storage
    _record(locked, by=by, action=ReportEvent.Action.EVIDENCE_REMOVED, note=evidence.original_name)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))

"""Evidence files (data dukung) of a report: the upload rules and storage of core.uploads, the report's checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.uploads import stored_upload_add, stored_upload_delete

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

    def lock() -> ProgrammeReport:
        locked = _locked(report)
        _check_can_change(locked, by)
        return locked

    return stored_upload_add(
        upload,
        model=ReportEvidence,
        owner="report",
        lock=lock,
        record=lambda locked, original: _record(locked, by=by, action=ReportEvent.Action.EVIDENCE_ADDED, note=original),
        too_many=_("A report can have at most %(count)d evidence files."),
        by=by,
        description=description,
    )


@transaction.atomic
def evidence_remove(*, evidence: ReportEvidence, by) -> None:
    """Delete an evidence file (and its stored file, once the deletion has committed)."""
    locked = _locked(evidence.report)
    _check_can_change(locked, by)
    _record(locked, by=by, action=ReportEvent.Action.EVIDENCE_REMOVED, note=evidence.original_name)
    stored_upload_delete(evidence)

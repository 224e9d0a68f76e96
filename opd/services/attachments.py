"""Attachments (data dukung) of a submission: the upload rules and storage of core.uploads, the submission's checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from core.security import security_event_record
from core.uploads import (  # noqa: F401 (the upload rules, also imported from here by tests)
    ALLOWED_LABELS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES,
    FileType,
    clean_original_name,
    detect_file_type,
    stored_upload_add,
    stored_upload_delete,
    validate_upload,
)
from opd import access
from opd.models import Attachment, Submission, SubmissionEvent, User

SECURITY_KIND = SecurityEvent.Kind.SUBMISSION_CHANGED


def _check_can_change(submission: Submission, by: User) -> None:
    if not access.works_for_submitting_opd(by, submission):
        raise PermissionDenied(_("Only staff of the submitting OPD may change its attachments."))
    if not access.can_edit_submission(by, submission):
        raise ValidationError(
            _("Attachments can only change while the submission is a draft or returned for revision.")
        )


def _record(locked: Submission, by: User, action: str, file_name: str) -> None:
    security_event_record(kind=SECURITY_KIND, user=by, target=locked, action=action)
    SubmissionEvent.objects.create(submission=locked, actor=by, action=action, note=file_name, to_status=locked.status)


def attachment_add(*, submission: Submission, by: User, upload, description: str = "") -> Attachment:
    """Store an uploaded evidence file for the submission, after checking its content and size (core.uploads)."""

    def lock() -> Submission:
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        _check_can_change(locked, by)
        return locked

    return stored_upload_add(
        upload,
        model=Attachment,
        owner="submission",
        lock=lock,
        record=lambda locked, original: _record(locked, by, SubmissionEvent.Action.ATTACHMENT_ADDED, original),
        too_many=_("A submission can have at most %(count)d attachments."),
        by=by,
        description=description,
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Delete an attachment (and its file, once the deletion has committed)."""
    locked = Submission.objects.select_for_update().get(pk=attachment.submission_id)
    _check_can_change(locked, by)
    _record(locked, by, SubmissionEvent.Action.ATTACHMENT_REMOVED, attachment.original_name)
    stored_upload_delete(attachment)

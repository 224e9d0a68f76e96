"""Attachments (data dukung) of a submission: the upload rules and storage of core.uploads, the submission's checks."""

from django.conf import settings
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
    upload_store,
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


def attachment_add(*, submission: Submission, by: User, upload, description: str = "") -> Attachment:
    """Store an uploaded evidence file for the submission, after checking its content and size (core.uploads)."""
    file_type = validate_upload(upload)

    def build(original: str, sha256: str) -> Attachment:
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        _check_can_change(locked, by)
        if locked.attachments.count() >= settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("A submission can have at most %(count)d attachments.") % {"count": settings.ATTACHMENT_MAX_COUNT}
            )
        security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="attachment_added")
        SubmissionEvent.objects.create(
            submission=locked,
            actor=by,
            action=SubmissionEvent.Action.ATTACHMENT_ADDED,
            note=original,
            to_status=locked.status,
        )
        return Attachment(
            submission=locked,
            original_name=original,
            content_type=file_type.content_type,
            size=upload.size,
            sha256=sha256,
            description=description.strip()[:200],
            uploaded_by=by,
        )

    return upload_store(upload, file_type, build)


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Delete an attachment (and its file, once the deletion has committed)."""
    locked = Submission.objects.select_for_update().get(pk=attachment.submission_id)
    _check_can_change(locked, by)
    name, storage = attachment.file.name, attachment.file.storage
    security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="attachment_removed")
    SubmissionEvent.objects.create(
        submission=locked,
        actor=by,
        action=SubmissionEvent.Action.ATTACHMENT_REMOVED,
        note=attachment.original_name,
        to_status=locked.status,
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))

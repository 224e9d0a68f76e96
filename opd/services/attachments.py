"""Attachments (data dukung): checked by their content, stored under generated names."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from core.security import security_event_record
from opd import access
from opd.models import Attachment, Submission, SubmissionEvent, User


@dataclass(frozen=True)
class FileType:
    label: str
    extension: str
    content_type: str


PDF = FileType("PDF", ".pdf", "application/pdf")
PNG = FileType("PNG", ".png", "image/png")
JPEG = FileType("JPG", ".jpg", "image/jpeg")
DOCX = FileType("DOCX", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("XLSX", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ALLOWED_LABELS = "PDF, DOCX, XLSX, PNG, JPG"
# An office document expands to far less than this; more means a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000

SECURITY_KIND = SecurityEvent.Kind.SUBMISSION_CHANGED


def _office_type(head_and_file) -> FileType | None:
    try:
        with zipfile.ZipFile(head_and_file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The file unpacks to far more than a document should; it was refused."))
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_file_type(upload) -> FileType | None:
    """Return the type of an uploaded file from its first bytes (and its parts, for office files)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        found = _office_type(upload)
        upload.seek(0)
        return found
    return None


def clean_original_name(name: str) -> str:
    """Keep only the last part of a file name, without control characters or path separators."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return (name or "lampiran")[:150]


def validate_upload(upload) -> FileType:
    """Return the file's type, or raise a ValidationError a person understands."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; the limit is %(limit)s MB per file.")
            % {
                "name": clean_original_name(upload.name),
                "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
                "limit": limit // 1048576,
            }
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": clean_original_name(upload.name)})
    file_type = detect_file_type(upload)
    if file_type is None:
        raise ValidationError(
            _("“%(name)s” is not a %(allowed)s file (its content was checked, not its name).")
            % {"name": clean_original_name(upload.name), "allowed": ALLOWED_LABELS}
        )
    return file_type


def _check_can_change(submission: Submission, by: User) -> None:
    if not access.works_for_submitting_opd(by, submission):
        raise PermissionDenied(_("Only staff of the submitting OPD may change its attachments."))
    if not access.can_edit_submission(by, submission):
        raise ValidationError(
            _("Attachments can only change while the submission is a draft or returned for revision.")
        )


def attachment_add(*, submission: Submission, by: User, upload, description: str = "") -> Attachment:
    """Store an uploaded evidence file for the submission, after checking its content and size.

    Runs its own durable transaction (never inside another one), so a row that does not commit
    always takes its file with it: nothing half-saved, no orphan file.
    """
    file_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = clean_original_name(upload.name)
    attachment = None
    try:
        with transaction.atomic(durable=True):
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            _check_can_change(locked, by)
            if locked.attachments.count() >= settings.ATTACHMENT_MAX_COUNT:
                raise ValidationError(
                    _("A submission can have at most %(count)d attachments.") % {"count": settings.ATTACHMENT_MAX_COUNT}
                )
            attachment = Attachment(
                submission=locked,
                original_name=original,
                content_type=file_type.content_type,
                size=upload.size,
                sha256=digest.hexdigest(),
                description=description.strip()[:200],
                uploaded_by=by,
            )
            # The stored name comes from attachment_path (a random name) with the detected type's extension.
            attachment.file.save(f"upload{file_type.extension}", upload, save=False)
            attachment.save()
            security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="attachment_added")
            SubmissionEvent.objects.create(
                submission=locked,
                actor=by,
                action=SubmissionEvent.Action.ATTACHMENT_ADDED,
                note=original,
                to_status=locked.status,
            )
    except BaseException:
        if attachment is not None and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


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

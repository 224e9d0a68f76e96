"""Uploaded evidence files (data dukung), for every app that takes them: checked by their content (never their
name), size-limited, stored under generated names; `upload_store` saves the row and its file together."""

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


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


def upload_store(upload, file_type: FileType, build: Callable[[str, str], object]):
    """Save an upload with the row `build(original_name, sha256)` returns (unsaved, its checks done) in one
    durable transaction (never inside another one), so a row that does not commit always takes its file with
    it: nothing half-saved, no orphan file. `build` runs inside the transaction (lock and check there)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = clean_original_name(upload.name)
    row = None
    try:
        with transaction.atomic(durable=True):
            row = build(original, digest.hexdigest())
            # The stored name comes from the model's upload_to (a random name) with the detected type's extension.
            row.file.save(f"upload{file_type.extension}", upload, save=False)
            row.save()
    except BaseException:
        if row is not None and row.file.name:
            row.file.storage.delete(row.file.name)
        raise
    return row


def stored_upload_add(
    upload,
    *,
    model,
    owner: str,
    lock: Callable[[], object],
    record: Callable[[object, str], object],
    too_many: str,
    by,
    description: str = "",
):
    """Check an upload and save it as a new `model` row (a core.models.StoredUpload) with its file; return the row.

    In the one transaction of `upload_store`: `lock()` returns the owner locked, its checks done; one file too many
    is refused with `too_many` (naming `%(count)d`); `record(owner, original_name)` writes the owner's history.
    """
    file_type = validate_upload(upload)

    def build(original: str, sha256: str):
        locked = lock()
        limit = settings.ATTACHMENT_MAX_COUNT
        if model.objects.filter(**{owner: locked}).count() >= limit:
            raise ValidationError(too_many % {"count": limit})
        record(locked, original)
        return model(
            **{owner: locked},
            original_name=original,
            content_type=file_type.content_type,
            size=upload.size,
            sha256=sha256,
            description=(description or "").strip()[:200],
            uploaded_by=by,
        )

    return upload_store(upload, file_type, build)


def stored_upload_delete(row) -> None:
    """Delete an upload's row, and its stored file once the deletion has committed (a rollback keeps both)."""
    name, storage = row.file.name, row.file.storage
    row.delete()
    transaction.on_commit(lambda: storage.delete(name))

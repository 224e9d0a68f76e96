"""Attachments (data dukung): real files accepted, disguised, oversized and exploding ones refused."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

from core.roles import Role
from opd.models import Attachment, SubmissionEvent
from opd.services.attachments import attachment_add, attachment_remove, clean_original_name, detect_file_type
from tests.factories import UserFactory

from .submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    approved,
    fast_password_hasher,
    png_bytes,
    returned_for_revision,
    sent,
)

Action = SubmissionEvent.Action
pytestmark = pytest.mark.django_db
ZIP_BOMB_UNPACKED = 300 * 1024 * 1024


# --- Real files, built here --------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document: the content types, the package relationship and the body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Kerangka Acuan Kerja</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Puskesmas", "Antrean per hari"])
    workbook.active.append(["Mojosari", 120])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def padded_png(total: int) -> bytes:
    """A valid PNG made at least `total` bytes long by a text chunk."""
    image = png_bytes()
    text = b"Comment\x00" + b"x" * max(0, total - len(image))
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text))
    return image[:-12] + chunk + image[-12:]  # before IEND


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory) -> bytes:
    """A "docx" whose document part unpacks to 300 MB of zeros: about 300 KB, built 1 MB at a time."""
    path = tmp_path_factory.mktemp("bomb") / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        zeros = bytes(1024 * 1024)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(ZIP_BOMB_UNPACKED // len(zeros)):
                entry.write(zeros)
    data = path.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    return data


REAL_FILES = {
    "laporan.pdf": (pdf_bytes, "application/pdf", ".pdf"),
    "foto.png": (png_bytes, "image/png", ".png"),
    "foto.jpg": (jpg_bytes, "image/jpeg", ".jpg"),
    "kak.docx": (docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "data.xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


# --- Fixtures --------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(media, staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type)


def upload_url(submission) -> str:
    return reverse("submissions:attachment_upload", args=[submission.pk])


def download_url(attachment) -> str:
    return reverse("submissions:attachment_download", args=[attachment.submission_id, attachment.pk])


def delete_url(attachment) -> str:
    return reverse("submissions:attachment_delete", args=[attachment.submission_id, attachment.pk])


def error_messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


def assert_nothing_stored(submission, media: Path) -> None:
    assert not Attachment.objects.filter(submission=submission).exists()
    assert not SubmissionEvent.objects.filter(submission=submission, action=Action.ATTACHMENT_ADDED).exists()
    assert stored_files(media) == []


# --- Accepted files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_of_each_allowed_type_are_stored_with_their_detected_type(draft, staff_dinkes, media, name):
    build, content_type, extension = REAL_FILES[name]
    content = build()

    attachment = attachment_add(
        submission=draft, by=staff_dinkes, upload=upload(name, content), description="  Bukti dukung  "
    )

    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.description == "Bukti dukung"
    assert attachment.file.name.startswith(f"attachments/{draft.pk}/") and attachment.file.name.endswith(extension)
    assert Path(attachment.file.path).read_bytes() == content
    assert Path(attachment.file.path).resolve().is_relative_to(media.resolve())
    event = draft.events.get(action=Action.ATTACHMENT_ADDED)
    assert (event.actor, event.note) == (staff_dinkes, name)


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_are_uploaded_through_the_page(client, draft, staff_dinkes, media, name):
    build, content_type, _extension = REAL_FILES[name]
    client.force_login(staff_dinkes)

    response = client.post(upload_url(draft), {"file": upload(name, build()), "description": "KAK"})

    assert response.status_code == 302
    assert response.url == reverse("submissions:detail", args=[draft.pk]) + "#attachments"
    assert error_messages(response) == []
    assert Attachment.objects.get(submission=draft).content_type == content_type


def test_the_type_comes_from_the_content_not_the_name(draft, staff_dinkes):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("sebenarnya-png.pdf", png_bytes()))
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert attachment.original_name == "sebenarnya-png.pdf"


def test_a_submission_returned_for_revision_takes_new_evidence(draft, staff_dinkes, kominfo_admin):
    returned = returned_for_revision(draft, kominfo_admin)
    assert attachment_add(submission=returned, by=staff_dinkes, upload=upload("bukti.pdf", pdf_bytes())).pk


# --- Refused files ----------------------------------------------------------------------------------------


REFUSED = {
    "html-named-png": ("foto.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "svg-named-png": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "exe-named-pdf": ("laporan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
    "plain-zip-named-docx": ("kak.docx", None),
    "broken-zip-named-xlsx": ("data.xlsx", b"PK\x03\x04" + bytes(100)),
    "text-file": ("catatan.txt", b"hanya teks"),
    "empty": ("kosong.pdf", b""),
}


def _refused_content(key: str) -> tuple[str, bytes]:
    name, content = REFUSED[key]
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")  # no [Content_Types].xml: not Office
        content = buffer.getvalue()
    return name, content


@pytest.mark.parametrize("key", REFUSED)
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(draft, staff_dinkes, media, key):
    name, content = _refused_content(key)
    with pytest.raises(ValidationError):
        attachment_add(submission=draft, by=staff_dinkes, upload=upload(name, content, "image/png"))
    assert_nothing_stored(draft, media)


def test_an_html_file_renamed_png_is_refused_through_the_page_with_a_message(client, draft, staff_dinkes, media):
    client.force_login(staff_dinkes)
    response = client.post(upload_url(draft), {"file": upload("foto.png", REFUSED["html-named-png"][1], "image/png")})
    assert response.status_code == 302
    [message] = error_messages(response)
    assert "foto.png" in message
    assert_nothing_stored(draft, media)


def test_an_oversized_file_is_refused(client, draft, staff_dinkes, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    small, large = padded_png(1000), padded_png(1025)
    assert detect_file_type(upload("x.png", large)).extension == ".png"  # a valid PNG: refused for its size only
    client.force_login(staff_dinkes)

    response = client.post(upload_url(draft), {"file": upload("besar.png", large, "image/png")})

    assert response.status_code == 302
    [message] = error_messages(response)
    assert "besar.png" in message
    assert_nothing_stored(draft, media)
    assert attachment_add(submission=draft, by=staff_dinkes, upload=upload("kecil.png", small)).size == len(small)


def test_a_zip_bomb_named_docx_is_refused(client, draft, staff_dinkes, media, zip_bomb):
    declared = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(zip_bomb)).infolist())
    assert declared >= ZIP_BOMB_UNPACKED
    client.force_login(staff_dinkes)

    response = client.post(upload_url(draft), {"file": upload("kak.docx", zip_bomb)})

    assert response.status_code == 302
    assert len(error_messages(response)) == 1
    assert_nothing_stored(draft, media)


def test_a_zip_with_too_many_entries_is_refused(draft, staff_dinkes, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(5001):
            archive.writestr(f"word/media/{number}.xml", "")
    with pytest.raises(ValidationError):
        attachment_add(submission=draft, by=staff_dinkes, upload=upload("banyak.docx", buffer.getvalue()))
    assert_nothing_stored(draft, media)


def test_at_most_the_configured_number_of_attachments(draft, staff_dinkes, media, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    for number in range(2):
        attachment_add(submission=draft, by=staff_dinkes, upload=upload(f"{number}.png", png_bytes()))
    with pytest.raises(ValidationError):
        attachment_add(submission=draft, by=staff_dinkes, upload=upload("ketiga.png", png_bytes()))
    assert Attachment.objects.filter(submission=draft).count() == 2
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize("move", [sent, approved])
def test_evidence_cannot_change_once_sent(draft, staff_dinkes, kominfo_admin, media, move):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("awal.png", png_bytes()))
    moved = move(draft) if move is sent else move(draft, kominfo_admin)

    with pytest.raises(ValidationError):
        attachment_add(submission=moved, by=staff_dinkes, upload=upload("susulan.png", png_bytes()))
    with pytest.raises(ValidationError):
        attachment_remove(attachment=attachment, by=staff_dinkes)

    assert list(Attachment.objects.filter(submission=draft)) == [attachment]
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("who", ["staff_dlh", "kominfo_admin", "executive"])
def test_only_the_opd_staff_change_attachments(request, draft, staff_dinkes, media, who):
    user = request.getfixturevalue(who)
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("awal.png", png_bytes()))
    with pytest.raises(PermissionDenied):
        attachment_add(submission=draft, by=user, upload=upload("asing.png", png_bytes()))
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, by=user)
    assert Attachment.objects.filter(submission=draft).count() == 1
    assert len(stored_files(media)) == 1


# --- Names -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kept",
    [
        ("../../../etc/passwd.png", "passwd.png"),
        ("..\\..\\Windows\\win.ini.png", "win.ini.png"),
        ("/var/www/portal/settings.png", "settings.png"),
        ('a<b>c:d"e|f?g*.png', "abcdefg.png"),
        ("tab\tnew\nline\x00.png", "tabnewline.png"),
        ("....", "lampiran"),
        ("x" * 300 + ".png", "x" * 150),
    ],
)
def test_a_hostile_file_name_is_stored_under_a_generated_name(draft, staff_dinkes, media, name, kept):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload(name, png_bytes()))

    assert attachment.original_name == kept == clean_original_name(name)
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((media / "attachments" / str(draft.pk)).resolve())
    assert len(stored.stem) == 32 and stored.suffix == ".png"
    assert stored_files(media) == [stored]


def test_a_path_traversal_name_through_the_page_stays_under_media_root(client, draft, staff_dinkes, media):
    client.force_login(staff_dinkes)
    client.post(upload_url(draft), {"file": upload("../../../../tmp/evil.png", png_bytes(), "image/png")})
    attachment = Attachment.objects.get(submission=draft)
    # The test client keeps only the last part of a name; the service must not trust it either.
    assert "/" not in attachment.original_name and ".." not in attachment.file.name
    assert [path.resolve() for path in stored_files(media)] == [Path(attachment.file.path).resolve()]


# --- Download ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_dinkes", "kominfo_admin", "executive"])
def test_the_download_is_an_attachment_with_the_original_name(client, request, draft, staff_dinkes, media, who):
    content = pdf_bytes()
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("Laporan Akhir 2026.pdf", content))
    sent(draft)
    client.force_login(request.getfixturevalue(who))

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Laporan Akhir 2026.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_non_ascii_original_name_is_sent_encoded(client, draft, staff_dinkes, media):
    attachment = attachment_add(
        submission=draft, by=staff_dinkes, upload=upload("Foto—lokasi “Mojosari”.png", png_bytes())
    )
    client.force_login(staff_dinkes)
    disposition = client.get(download_url(attachment))["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "Mojosari" in disposition


def test_staff_of_another_opd_get_404_on_download_upload_and_delete(client, draft, staff_dinkes, staff_dlh, media):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("bukti.png", png_bytes()))
    submitted_with_file = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    attachment_on_sent = attachment_add(
        submission=submitted_with_file, by=staff_dinkes, upload=upload("bukti2.png", png_bytes())
    )
    sent(submitted_with_file)
    client.force_login(staff_dlh)

    for target in (attachment, attachment_on_sent):
        assert client.get(download_url(target)).status_code == 404
        assert client.post(delete_url(target)).status_code == 404
        assert client.post(upload_url(target.submission), {"file": upload("asing.png", png_bytes())}).status_code == 404
    assert Attachment.objects.count() == 2
    assert len(stored_files(media)) == 2


def test_an_attachment_id_of_another_submission_answers_404(client, draft, staff_dinkes, media):
    other = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    attachment = attachment_add(submission=other, by=staff_dinkes, upload=upload("lain.png", png_bytes()))
    client.force_login(staff_dinkes)
    url = reverse("submissions:attachment_download", args=[draft.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_kominfo_and_the_executive_cannot_download_from_a_draft(
    client, draft, staff_dinkes, kominfo_admin, executive, media
):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("draf.png", png_bytes()))
    for user in (kominfo_admin, executive):
        client.force_login(user)
        assert client.get(download_url(attachment)).status_code == 404


def test_a_file_missing_on_disk_answers_404(client, draft, staff_dinkes, media):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("hilang.png", png_bytes()))
    Path(attachment.file.path).unlink()
    client.force_login(staff_dinkes)
    assert client.get(download_url(attachment)).status_code == 404


# --- Removal -------------------------------------------------------------------------------------------------


def test_removing_an_attachment_deletes_its_file_after_commit(
    client, draft, staff_dinkes, media, django_capture_on_commit_callbacks
):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("hapus.png", png_bytes()))
    client.force_login(staff_dinkes)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(delete_url(attachment))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert len(stored_files(media)) == 1  # still there until the commit
    for callback in callbacks:
        callback()
    assert stored_files(media) == []
    event = draft.events.get(action=Action.ATTACHMENT_REMOVED)
    assert (event.actor, event.note) == (staff_dinkes, "hapus.png")


def test_a_rolled_back_removal_keeps_the_file(draft, staff_dinkes, media, django_capture_on_commit_callbacks):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("tetap.png", png_bytes()))
    pk = attachment.pk
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        attachment_remove(attachment=attachment, by=staff_dinkes)
        raise RuntimeError("rolled back")
    assert Attachment.objects.filter(pk=pk).exists()
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_kominfo_and_the_executive_cannot_upload_or_delete_through_the_pages(
    client, request, draft, staff_dinkes, media, who
):
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("bukti.png", png_bytes()))
    submitted = sent(draft)
    client.force_login(request.getfixturevalue(who))
    assert client.post(upload_url(submitted), {"file": upload("x.png", png_bytes())}).status_code == 403
    assert client.post(delete_url(attachment)).status_code == 403
    assert Attachment.objects.count() == 1 and len(stored_files(media)) == 1


def test_a_second_kominfo_admin_role_does_not_open_uploads(client, draft, media):
    admin = UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN)
    client.force_login(admin)
    assert client.post(upload_url(draft), {"file": upload("x.png", png_bytes())}).status_code == 403
    assert stored_files(media) == []


class LaterFailure(Exception):
    """Something after the upload failed, in the same transaction."""


def test_an_upload_inside_a_transaction_that_rolls_back_leaves_no_file(draft, staff_dinkes, media):
    # attachment_add refuses to run inside another transaction (durable), or it would have to clean up
    # after that transaction's rollback: either way no row and no orphan file may remain.
    with pytest.raises((LaterFailure, RuntimeError)), transaction.atomic():
        attachment_add(submission=draft, by=staff_dinkes, upload=upload("batal.png", png_bytes()))
        raise LaterFailure
    assert_nothing_stored(draft, media)

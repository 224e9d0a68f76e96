"""Uploads through the page that must be refused with a message and leave nothing behind (no row, no file).

tests/opd/test_attachments.py covers the file checks themselves (disguised types, zip bombs, sizes, names at
the service); these are the gaps at the page: several files at once, too many files, raw multipart names the
test client would never send, and two uploads racing for the last free place.
"""

import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from opd.models import Attachment, SubmissionEvent
from opd.services import attachments as service
from tests.concurrency import race
from tests.services import need

from .submission_factories import SubmissionFactory, fast_password_hasher, png_bytes  # noqa: F401

PNG = png_bytes()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(media, staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


@pytest.fixture
def client_en(staff_dinkes) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(staff_dinkes)
    client.cookies["django_language"] = "en"
    return client


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def errors_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


def upload_url(submission) -> str:
    return reverse("submissions:attachment_upload", args=[submission.pk])


def assert_nothing_stored(submission, media: Path) -> None:
    assert not Attachment.objects.filter(submission=submission).exists()
    action = SubmissionEvent.Action.ATTACHMENT_ADDED
    assert not SubmissionEvent.objects.filter(submission=submission, action=action).exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_several_files_in_one_request_are_refused_with_a_message(client_en, draft, media):
    files = [SimpleUploadedFile(f"foto{n}.png", PNG, "image/png") for n in range(2)]
    response = client_en.post(upload_url(draft), {"file": files})
    assert response.status_code == 302
    assert errors_of(response) == ["Attach one file at a time; nothing was attached."]
    assert_nothing_stored(draft, media)


@pytest.mark.django_db
def test_more_files_than_a_request_may_carry_answer_400(client_en, draft, media, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = {f"file{n}": SimpleUploadedFile(f"foto{n}.png", PNG, "image/png") for n in range(4)}
    response = client_en.post(upload_url(draft), files)
    assert response.status_code == 400
    assert_nothing_stored(draft, media)


@pytest.mark.django_db
def test_the_attachment_limit_is_refused_through_the_page_with_a_message_naming_it(
    client_en, draft, media, settings, staff_dinkes
):
    settings.ATTACHMENT_MAX_COUNT = 2
    for number in range(2):
        service.attachment_add(
            submission=draft, by=staff_dinkes, upload=SimpleUploadedFile(f"{number}.png", PNG, "image/png")
        )
    response = client_en.post(upload_url(draft), {"file": SimpleUploadedFile("ketiga.png", PNG, "image/png")})
    assert response.status_code == 302
    assert errors_of(response) == ["A submission can have at most 2 attachments."]
    assert Attachment.objects.filter(submission=draft).count() == 2
    assert len(stored_files(media)) == 2


REFUSED_THROUGH_THE_PAGE = {
    "empty": ("kosong.png", b"", "The submitted file is empty."),
    "svg-with-script-named-png": (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "“logo.png” is not a PDF, DOCX, XLSX, PNG, JPG file (its content was checked, not its name).",
    ),
    "html-named-jpg": (
        "foto.jpg",
        b"<!doctype html><script>alert(1)</script>",
        "“foto.jpg” is not a PDF, DOCX, XLSX, PNG, JPG file (its content was checked, not its name).",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", REFUSED_THROUGH_THE_PAGE)
def test_refused_files_through_the_page_say_why_and_leave_nothing(client_en, draft, media, key):
    name, content, message = REFUSED_THROUGH_THE_PAGE[key]
    response = client_en.post(upload_url(draft), {"file": SimpleUploadedFile(name, content, "image/png")})
    assert response.status_code == 302
    assert errors_of(response) == [message]
    assert_nothing_stored(draft, media)


def raw_upload(filename: bytes, content: bytes) -> bytes:
    """A multipart body as any client may send it: the file name exactly as given, no client-side cleaning."""
    return (
        b"--xyz\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: image/png\r\n\r\n" + content + b"\r\n--xyz--\r\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename",
    [
        b"../../etc/passwd.png",
        b"..\\..\\windows\\system.ini.png",
        b"/etc/cron.d/evil.png",
        b"foto\x00.php.png",
        b"x" * 400 + b".png",
        "Foto “Mojosari” é.png".encode(),
        b"%2e%2e%2fetc%2fpasswd.png",
        b'a";b=c.png',
    ],
    ids=["dot-dot", "backslashes", "absolute", "nul", "long", "non-ascii", "percent-encoded", "quote"],
)
def test_a_hostile_raw_file_name_is_stored_under_a_generated_name_and_sent_back_clean(
    client_en, draft, media, filename
):
    response = client_en.generic(
        "POST", upload_url(draft), data=raw_upload(filename, PNG), content_type="multipart/form-data; boundary=xyz"
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(submission=draft)
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((media / "attachments" / str(draft.pk)).resolve())
    assert len(stored.stem) == 32 and stored.suffix == ".png"
    assert stored_files(media) == [stored]
    name = attachment.original_name
    assert name and len(name) <= 150
    assert not any(character in name for character in '/\\\x00"<>')
    download = client_en.get(reverse("submissions:attachment_download", args=[draft.pk, attachment.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert "/" not in disposition.split("''", 1)[-1] and "\x00" not in disposition and "\n" not in disposition
    assert b"".join(download.streaming_content) == PNG


# --- Two uploads racing for the last free place (PostgreSQL row lock) ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_uploads_racing_for_the_last_place_cannot_both_pass(media, staff_dinkes, pillars, settings, monkeypatch):
    need(connection.vendor == "postgresql", "needs PostgreSQL for row locks")
    settings.ATTACHMENT_MAX_COUNT = 1
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    check = service._check_can_change

    def slow_check(locked, by):  # runs under the row lock: without the lock both would count 0 here
        time.sleep(0.3)
        check(locked, by)

    monkeypatch.setattr(service, "_check_can_change", slow_check)
    outcomes = race(
        *(
            lambda index=index: service.attachment_add(
                submission=draft, by=staff_dinkes, upload=SimpleUploadedFile(f"{index}.png", PNG, "image/png")
            )
            for index in range(2)
        ),
        timeout=30,
    )

    stored = [outcome for outcome in outcomes if isinstance(outcome, Attachment)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(stored) == 1 and len(refused) == 1, outcomes
    assert refused[0].messages == ["A submission can have at most 1 attachments."]
    assert Attachment.objects.filter(submission=draft).count() == 1
    assert len(stored_files(media)) == 1

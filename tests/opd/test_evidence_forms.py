"""Evidence files attached on the submission form itself and from the check page, limits shown before upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opd.models import Attachment, Submission

from .submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    fast_password_hasher,
    png_bytes,
    sent,
)
from .test_attachments import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def new_draft(**extra) -> dict:
    return {"kind": "kebutuhan", "title": "Aplikasi antrean puskesmas", "save": "", **extra}


def pdf(name: str = "laporan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_the_new_submission_form_shows_the_file_limits_before_upload(client, staff_dinkes, settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.ATTACHMENT_MAX_PER_UPLOAD = 5
    settings.ATTACHMENT_MAX_COUNT = 20
    client.force_login(staff_dinkes)
    page = client.get(reverse("submissions:create")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="files"' in page and "multiple" in page
    limits = "PDF, DOCX, XLSX, PNG, JPG; paling besar 10 MB per berkas dan 5 berkas sekaligus, 20 berkas per usulan"
    assert limits in page


def test_a_new_draft_is_saved_with_several_files_at_once(client, staff_dinkes):
    client.force_login(staff_dinkes)
    response = client.post(reverse("submissions:create"), {**new_draft(), "files": [pdf(), png()]})
    submission = Submission.objects.get(title="Aplikasi antrean puskesmas")
    assert response.status_code == 302 and response.url == reverse("submissions:detail", args=[submission.pk])
    assert sorted(submission.attachments.values_list("original_name", flat=True)) == ["foto.png", "laporan.pdf"]
    assert {a.content_type for a in submission.attachments.all()} == {"application/pdf", "image/png"}


def test_save_and_check_with_files_goes_to_the_check_page_listing_them(client, staff_dinkes):
    client.force_login(staff_dinkes)
    response = client.post(reverse("submissions:create"), {**new_draft(), "check": "", "files": [pdf()]}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/kirim/")
    assert "laporan.pdf" in response.content.decode()


def test_a_disguised_file_saves_nothing_and_names_the_file(client, staff_dinkes):
    client.force_login(staff_dinkes)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("submissions:create"), {**new_draft(), "files": [pdf(), fake]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "virus.pdf" in page and 'data-testid="error-summary"' in page
    assert not Submission.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(client, staff_dinkes, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(staff_dinkes)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), content_type="application/pdf")
    page = client.post(reverse("submissions:create"), {**new_draft(), "files": [big]}).content.decode()
    assert "besar.pdf" in page and "1 MB" in page
    assert not Submission.objects.exists()


def test_more_files_than_one_upload_takes_are_refused(client, staff_dinkes, settings):
    settings.ATTACHMENT_MAX_PER_UPLOAD = 2
    client.force_login(staff_dinkes)
    files = [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]
    response = client.post(reverse("submissions:create"), {**new_draft(), "files": files})
    assert "paling banyak 2 berkas sekaligus" in response.content.decode()
    assert not Submission.objects.exists()


def test_files_beyond_the_submission_limit_are_refused_on_the_edit_form(client, staff_dinkes, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    client.force_login(staff_dinkes)
    submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    client.post(reverse("submissions:edit", args=[submission.pk]), {**new_draft(version=1), "files": [pdf("a.pdf")]})
    assert submission.attachments.count() == 1
    response = client.post(
        reverse("submissions:edit", args=[submission.pk]),
        {**new_draft(version=2), "files": [pdf("b.pdf"), pdf("c.pdf")]},
    )
    assert "masih ada ruang untuk 1" in response.content.decode()
    assert submission.attachments.count() == 1


def test_an_invalid_form_says_the_chosen_files_must_be_chosen_again(client, staff_dinkes):
    client.force_login(staff_dinkes)
    response = client.post(reverse("submissions:create"), {"kind": "kebutuhan", "title": "", "files": [pdf()]})
    assert 'data-testid="files-dropped"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_are_attached_from_the_check_page(client, staff_dinkes):
    client.force_login(staff_dinkes)
    submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    check = client.get(reverse("submissions:submit", args=[submission.pk])).content.decode()
    assert reverse("submissions:evidence_upload", args=[submission.pk]) in check
    response = client.post(reverse("submissions:evidence_upload", args=[submission.pk]), {"files": [pdf(), png()]})
    assert response.status_code == 302 and response.url.endswith("/kirim/#evidence")
    assert submission.attachments.count() == 2
    assert "foto.png" in client.get(response.url).content.decode()


def test_the_check_page_refuses_a_bad_file_and_keeps_the_others_out(client, staff_dinkes):
    client.force_login(staff_dinkes)
    submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    bad = SimpleUploadedFile("catatan.txt", b"hello", content_type="text/plain")
    response = client.post(
        reverse("submissions:evidence_upload", args=[submission.pk]), {"files": [pdf(), bad]}, follow=True
    )
    assert "catatan.txt" in response.content.decode()
    assert submission.attachments.count() == 0


def test_the_check_page_upload_without_files_says_so(client, staff_dinkes):
    client.force_login(staff_dinkes)
    submission = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    response = client.post(reverse("submissions:evidence_upload", args=[submission.pk]), {}, follow=True)
    assert "Pilih paling sedikit satu berkas" in response.content.decode()


@pytest.mark.parametrize("who", ["staff_dlh", "kominfo_admin", "executive"])
def test_nobody_else_attaches_from_the_check_page(client, request, staff_dinkes, who):
    submission = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("submissions:evidence_upload", args=[submission.pk]), {"files": [pdf()]})
    assert response.status_code in (403, 404)
    assert submission.attachments.count() == 0


def test_a_sent_submission_takes_no_more_files_from_its_staff(client, staff_dinkes):
    submission = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    client.force_login(staff_dinkes)
    client.post(reverse("submissions:evidence_upload", args=[submission.pk]), {"files": [pdf()]}, follow=True)
    assert submission.attachments.count() == 0

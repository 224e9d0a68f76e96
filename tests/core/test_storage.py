"""Every media file (attachment, export, PDF) goes through the storage API, on the local disk and in an
S3 bucket alike (moto's in-process S3): stored whole under its final name, downloaded only through the
portal after its access check, nothing left behind by a failed job, and carried by backups."""

import hashlib
import tarfile
from pathlib import Path
from urllib.parse import urlencode

import boto3
import pytest
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse
from moto import mock_aws

from core import backups, jobs
from core.storage import media_storage, storage_reachable, stored_names
from masterplan.rendering import masterplan_export_render
from masterplan.services import masterplan_export_start
from opd.services.attachments import attachment_add
from opd.services.exports import submission_export_run, submission_export_start
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401
from tests.opd.test_attachments import pdf_bytes, upload

pytestmark = pytest.mark.django_db
BUCKET = "portal-media-test"


def s3_settings(bucket: str = BUCKET, endpoint_url: str | None = None) -> dict:
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": "private",
        "file_overwrite": True,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path):
    """The media storage of the test: a folder, or a private bucket of moto's in-process S3."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.param == "local":
        yield "local"
        return
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET, ACL="private")
        settings.STORAGES = {**settings.STORAGES, "default": s3_settings()}
        settings.MEDIA_STORAGE = "s3"
        yield "s3"


def objects() -> list[str]:
    """Return every name in the media storage, half-written ones included."""
    storage = media_storage()
    if hasattr(storage, "bucket"):
        return sorted(item.key for item in storage.bucket.objects.all())
    root = Path(storage.location)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def test_the_storage_in_use_is_the_one_configured(backend):
    expected = {"local": "FileSystemStorage", "s3": "S3Storage"}[backend]
    assert type(media_storage()).__name__ == expected
    assert default_storage.__class__.__name__ == expected  # what every FileField uses
    assert storage_reachable()


def test_an_attachment_is_stored_and_downloaded_through_the_portal_only(
    backend, client, staff_dinkes, staff_dlh, pillars
):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    content = pdf_bytes()
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("bukti.pdf", content))
    assert objects() == [attachment.file.name]
    url = reverse("submissions:attachment_download", args=[draft.pk, attachment.pk])

    client.force_login(staff_dinkes)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith('attachment; filename="bukti.pdf"')
    assert response["Cache-Control"] == "private, no-store" and response["Content-Length"] == str(len(content))

    client.force_login(staff_dlh)
    assert client.get(url).status_code == 404  # another OPD: not found, not even a hint


def test_a_missing_object_answers_404_not_an_error(backend, client, staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=upload("bukti.pdf", pdf_bytes()))
    media_storage().delete(attachment.file.name)
    client.force_login(staff_dinkes)
    assert client.get(reverse("submissions:attachment_download", args=[draft.pk, attachment.pk])).status_code == 404


def test_an_export_is_written_locally_then_stored_whole_under_its_final_name(
    backend, client, kominfo_admin, staff_dinkes, pillars, settings
):
    sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Telemedisin"))
    started = submission_export_start(
        user=kominfo_admin, params=QueryDict(urlencode({"status": ""})), file_format="csv"
    )
    export = submission_export_run(export_id=started.pk)

    assert export.status == export.Status.DONE and objects() == [export.file.name]
    assert export.file.name.startswith(f"exports/{kominfo_admin.pk}/") and export.file.name.endswith(".csv")
    assert list(Path(settings.JOB_SCRATCH_DIR).iterdir()) == []  # the local file went into the storage
    client.force_login(kominfo_admin)
    response = client.get(reverse("submissions:export_download", args=[export.pk]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200 and "Telemedisin" in body and len(body.encode()) == export.size


def test_a_masterplan_pdf_is_stored_once_and_a_failed_render_leaves_no_object(
    backend, client, kominfo_admin, settings, monkeypatch
):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=3, submission_count=3)
    export = masterplan_export_render(export_id=masterplan_export_start(masterplan=masterplan, by=kominfo_admin).pk)
    assert export.status == export.Status.DONE and objects() == [export.file.name]
    client.force_login(kominfo_admin)
    response = client.get(reverse("masterplan:export_download", args=[masterplan.pk, export.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    # A second delivery of a finished job stores nothing more.
    assert masterplan_export_render(export_id=export.pk).file.name == export.file.name
    assert objects() == [export.file.name]

    # The storage refuses the upload of the next version: the job fails and no object or local file is left.
    def broken_store(storage, name, source):
        raise OSError("bucket unreachable")

    monkeypatch.setattr(jobs, "store_file", broken_store)
    second = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)
    failed = masterplan_export_render(export_id=second.pk)
    assert failed.status == failed.Status.FAILED and failed.file.name == ""
    assert objects() == [export.file.name] and list(Path(settings.JOB_SCRATCH_DIR).iterdir()) == []


def test_a_store_that_cannot_be_recorded_takes_its_object_back(backend, kominfo_admin, monkeypatch):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=2, submission_count=2)
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)
    jobs.job_claim(type(export), export.pk, attempt_limit=3, exhausted_reason="")
    with jobs.temporary_file(prefix=".test-") as (handle, temporary):
        handle.write(b"%PDF-1.7 test")
    original_save = type(export).save

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database gone after the upload")

    monkeypatch.setattr(type(export), "save", failing_save)
    with pytest.raises(RuntimeError):
        jobs.job_store(type(export), export.pk, temporary=temporary, name="masterplan/test.pdf")
    monkeypatch.setattr(type(export), "save", original_save)
    assert objects() == [] and not temporary.exists()


def test_backups_carry_every_stored_file_and_restore_them_into_the_storage(backend, staff_dinkes, pillars, tmp_path):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    first = attachment_add(submission=draft, by=staff_dinkes, upload=upload("satu.pdf", pdf_bytes()))
    second = attachment_add(submission=draft, by=staff_dinkes, upload=upload("dua.pdf", pdf_bytes() + b"\n"))
    storage = media_storage()
    with jobs.temporary_file(prefix=".half-") as (handle, _temporary):
        handle.write(b"never stored")
    archive = tmp_path / "media.tar"

    entries = backups._write_media_tar(storage, archive)

    assert sorted(entry["path"] for entry in entries) == sorted([first.file.name, second.file.name])
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == sorted([first.file.name, second.file.name])
    for name in list(stored_names(storage)):
        storage.delete(name)
    assert objects() == []

    backups._restore_media(archive, storage)

    # The whole restore (database included, then every row count and checksum) runs on PostgreSQL in test_backup.py.
    assert objects() == sorted([first.file.name, second.file.name])
    for entry in entries:
        with storage.open(entry["path"], "rb") as handle:
            content = handle.read()
        assert len(content) == entry["size"] and hashlib.sha256(content).hexdigest() == entry["sha256"]


def test_a_bucket_that_does_not_answer_is_reported_unreachable(settings):
    with mock_aws():
        settings.STORAGES = {**settings.STORAGES, "default": s3_settings(bucket="no-such-bucket")}
        assert storage_reachable() is False

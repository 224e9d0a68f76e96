"""Backup and restore: a populated database and its files come back whole in a fresh database and folder.

`manage.py backup` runs here against the test database; `manage.py restore` runs in a separate process
pointed at a brand-new PostgreSQL database and an empty media folder, as an operator would on a new server.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from moto.server import ThreadedMotoServer
from psycopg2 import sql
from pypdf import PdfWriter

from core.backups import MANIFEST_NAME
from masterplan.models import MasterplanExport
from masterplan.rendering import masterplan_export_render
from masterplan.services import masterplan_export_start
from opd.services.attachments import attachment_add
from tests.core.test_storage import s3_settings
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher, png_bytes  # noqa: F401
from tests.services import need
from tests.worker import worker_database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def postgresql():
    need(connection.vendor == "postgresql", "backups use pg_dump: needs PostgreSQL")


@pytest.fixture
def fresh_database(postgresql):
    """Create an empty database on the same server for the restore; drop it afterwards."""
    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture
def populated(postgresql, settings, tmp_path, kominfo_admin, staff_dinkes):
    """A portal in use: OPDs, users, submissions with evidence files, a masterplan and its rendered PDF."""
    settings.MEDIA_ROOT = tmp_path / "media"
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=8)
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Sistem rujukan daring")
    for name, content in [("foto-lokasi.png", png_bytes(4, 3)), ("kajian.pdf", pdf_bytes())]:
        attachment_add(submission=draft, by=staff_dinkes, upload=SimpleUploadedFile(name, content))
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)
    export = masterplan_export_render(export_id=export.pk)
    assert export.status == MasterplanExport.Status.DONE
    return settings.MEDIA_ROOT


def table_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def restore(backup: Path, database: str, media: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run `manage.py restore` as a separate process on the given database and media folder."""
    url = worker_database_url().rsplit("/", 1)[0] + f"/{database}"
    return subprocess.run(
        [sys.executable, "manage.py", "restore", "--input", str(backup), *extra],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "DATABASE_URL": url, "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def back_up(folder: Path) -> Path:
    output = io.StringIO()
    call_command("backup", output=folder, stdout=output)
    return Path(output.getvalue().strip())


def test_a_backup_restored_into_a_fresh_database_has_every_row_and_every_file(populated, fresh_database, tmp_path):
    backup = back_up(tmp_path / "backups")

    assert sorted(path.name for path in backup.iterdir()) == ["database.dump", "manifest.json", "media.tar"]
    manifest = json.loads((backup / MANIFEST_NAME).read_text())
    with connection.cursor() as cursor:
        source_counts = table_counts(cursor.cursor)
    source_files = checksums(populated)
    assert manifest["tables"] == source_counts
    assert {entry["path"]: entry["sha256"] for entry in manifest["media"]["files"]} == source_files
    assert len(source_files) == 3  # two attachments and the masterplan PDF
    assert source_counts["masterplan_programme"] == 8 and source_counts["opd_attachment"] == 2
    assert manifest["migrations"]["masterplan"][0] == "0001_initial"

    restored_media = tmp_path / "restored-media"
    result = restore(backup, fresh_database, restored_media, "--yes")

    assert result.returncode == 0, result.stderr
    assert "Restored and verified" in result.stdout
    params = connection.get_connection_params()
    with psycopg2.connect(**{**params, "dbname": fresh_database}) as restored, restored.cursor() as cursor:
        assert table_counts(cursor) == source_counts
        cursor.execute("SELECT title FROM opd_submission WHERE title = 'Sistem rujukan daring'")
        assert cursor.fetchall() == [("Sistem rujukan daring",)]
    restored.close()
    assert checksums(restored_media) == source_files


def test_a_tampered_or_incomplete_backup_is_refused_and_changes_nothing(populated, fresh_database, tmp_path):
    backup = back_up(tmp_path / "backups")
    target_media = tmp_path / "target-media"

    media_tar = backup / "media.tar"
    original = media_tar.read_bytes()
    position = original.index(b"%PDF-")  # inside the masterplan PDF or an attachment
    media_tar.write_bytes(original[:position] + b"%PDX-" + original[position + 5 :])
    result = restore(backup, fresh_database, target_media, "--yes")
    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr and "media.tar does not match" in result.stderr

    media_tar.write_bytes(original)
    (backup / "database.dump").unlink()
    result = restore(backup, fresh_database, target_media, "--yes")
    assert result.returncode != 0 and "database.dump is missing" in result.stderr

    params = connection.get_connection_params()
    with psycopg2.connect(**{**params, "dbname": fresh_database}) as untouched, untouched.cursor() as cursor:
        assert table_counts(cursor) == {}
    untouched.close()
    assert not target_media.exists()


def test_a_restore_without_yes_and_no_one_to_ask_changes_nothing(populated, fresh_database, tmp_path):
    backup = back_up(tmp_path / "backups")

    result = restore(backup, fresh_database, tmp_path / "target-media")

    assert result.returncode != 0 and "pass --yes to confirm" in result.stderr
    assert not (tmp_path / "target-media").exists()


def test_old_backups_beyond_keep_are_removed(populated, tmp_path):
    folder = tmp_path / "backups"
    made = [back_up(folder) for _ in range(3)]
    call_command("backup", output=folder, keep=2, stdout=io.StringIO())

    remaining = sorted(path.name for path in folder.iterdir())
    assert len(remaining) == 2 and made[-1].name in remaining and made[0].name not in remaining


def test_sqlite_is_refused_with_what_to_do_instead(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "need PostgreSQL" in result.stderr and "copy" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- Media in an S3 bucket (MEDIA_STORAGE=s3), served by moto's S3 server in a thread of this process ---

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def bucket_checksums(endpoint: str, bucket: str) -> dict[str, str]:
    client = boto3.client("s3", endpoint_url=endpoint, **KEYS)
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: hashlib.sha256(client.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest() for key in keys}


def test_a_backup_carries_every_object_and_restores_them_into_an_empty_bucket(
    postgresql, fresh_database, s3_endpoint, settings, tmp_path, kominfo_admin, staff_dinkes
):
    client = boto3.client("s3", endpoint_url=s3_endpoint, **KEYS)
    for bucket in ("portal-source", "portal-target"):
        client.create_bucket(Bucket=bucket, ACL="private")
    settings.STORAGES = {**settings.STORAGES, "default": s3_settings("portal-source", s3_endpoint)}
    settings.MEDIA_STORAGE = "s3"
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=3, submission_count=3)
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Sistem rujukan daring")
    for name, content in [("foto-lokasi.png", png_bytes(4, 3)), ("kajian.pdf", pdf_bytes())]:
        attachment_add(submission=draft, by=staff_dinkes, upload=SimpleUploadedFile(name, content))
    masterplan_export_render(export_id=masterplan_export_start(masterplan=masterplan, by=kominfo_admin).pk)
    source = bucket_checksums(s3_endpoint, "portal-source")
    assert len(source) == 3  # two attachments and the PDF, in the bucket only
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

    backup = back_up(tmp_path / "backups")

    manifest = json.loads((backup / MANIFEST_NAME).read_text())
    assert {entry["path"]: entry["sha256"] for entry in manifest["media"]["files"]} == source
    with connection.cursor() as cursor:
        source_counts = table_counts(cursor.cursor)
    url = worker_database_url().rsplit("/", 1)[0] + f"/{fresh_database}"
    environment = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": url,
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_BUCKET": "portal-target",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1",
        "JOB_SCRATCH_DIR": str(tmp_path / "scratch"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", "--input", str(backup), "--yes"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )

    assert result.returncode == 0, result.stderr
    assert "Restored and verified" in result.stdout and "3 media files" in result.stdout
    assert bucket_checksums(s3_endpoint, "portal-target") == source
    params = connection.get_connection_params()
    with psycopg2.connect(**{**params, "dbname": fresh_database}) as restored, restored.cursor() as cursor:
        assert table_counts(cursor) == source_counts
    restored.close()

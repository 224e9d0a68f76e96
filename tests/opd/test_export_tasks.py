"""The export task: bounded and retried, and a real worker on Redis writes an export started from the page."""

import csv
import io
import time

import pytest
from django.db import OperationalError, connection
from django.http import QueryDict
from django.utils import translation
from openpyxl import load_workbook

from core import jobs
from mojokerto_portal.celery import app
from opd import tasks
from opd.models import SubmissionExport
from opd.services.exports import submission_export_start
from opd.tasks import export_submissions
from tests.services import need, redis_url
from tests.worker import running_worker, worker_database_url

from .submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401

Status = SubmissionExport.Status


@pytest.fixture
def export(kominfo_admin, staff_dinkes, pillars, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    return submission_export_start(user=kominfo_admin, params=QueryDict("status="), file_format="csv")


def test_the_task_is_acknowledged_late_and_bounded_in_time(settings):
    assert export_submissions.name == "opd.export_submissions"
    assert export_submissions.acks_late and export_submissions.reject_on_worker_lost
    assert export_submissions.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert export_submissions.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert export_submissions.max_retries == jobs.ATTEMPT_LIMIT - 1
    assert settings.CELERY_TASK_TIME_LIMIT + jobs.retry_delay(1) < 3600  # well inside the visibility timeout


@pytest.mark.django_db
def test_the_task_writes_the_export(export):
    export_submissions.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == Status.DONE and export.row_count == 1 and export.attempts == 1


@pytest.mark.django_db
def test_a_passing_database_error_is_retried_then_the_export_is_failed(export, monkeypatch):
    calls = []

    def database_down(*, export_id):
        calls.append(export_id)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tasks, "submission_export_run", database_down)
    monkeypatch.setattr(jobs, "retry_delay", lambda retries: 0)
    with translation.override("en"):
        export_submissions.apply(args=[export.pk])

    assert len(calls) == jobs.ATTEMPT_LIMIT
    export.refresh_from_db()
    assert export.status == Status.FAILED and "database did not answer" in export.error
    assert export.finished_at is not None


@pytest.mark.django_db
def test_a_deleted_export_is_skipped_without_error(export):
    export_id = export.pk
    export.delete()
    assert export_submissions.apply(args=[export_id]).successful()


@pytest.mark.django_db
def test_an_unreachable_queue_fails_the_export_with_the_reason(
    kominfo_admin, pillars, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    sent_tasks = []

    def broker_down(name, args=None, **options):
        sent_tasks.append((name, args))
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(app, "send_task", broker_down)
    settings.JOB_QUEUE_RETRY_SECONDS = 0  # give up at once (the retries have tests of their own)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        export = submission_export_start(user=kominfo_admin, params=QueryDict("status="), file_format="csv")

    assert sent_tasks == [(export_submissions.name, [export.pk])]
    export.refresh_from_db()
    assert export.status == Status.FAILED and "could not be put in the queue" in export.error
    assert "broker unreachable" in export.error and export.finished_at is not None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_started_on_the_page_is_written_by_a_real_worker_on_redis(
    client, staff_dinkes, staff_dlh, kominfo_admin, pillars, settings, tmp_path, file_format
):
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    need(app.conf.broker_url == url, "this process must queue on that Redis: set CELERY_BROKER_URL=redis://...")
    need(connection.vendor == "postgresql", "the worker process must share the test database: needs PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    for _ in range(30):
        sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    sent(SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh, title="Bukan Dinkes"))
    client.force_login(kominfo_admin)

    response = client.post(
        "/usulan/ekspor/", {"query": f"status=&opd={staff_dinkes.opd_id}", "file_format": file_format}
    )

    assert response.status_code == 302
    export = SubmissionExport.objects.get()
    env = {"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(tmp_path), "CELERY_BROKER_URL": url}
    with running_worker(env) as worker:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.status in (Status.DONE, Status.FAILED) or worker.poll() is not None:
                break
            time.sleep(0.2)
    assert export.status == Status.DONE, (export.status, export.error, getattr(worker, "log", ""))
    assert export.attempts == 1 and export.progress == 100 and export.row_count == 30
    download = client.get(f"/usulan/ekspor/{export.pk}/unduh/")
    content = b"".join(download.streaming_content)
    if file_format == "xlsx":
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 31 and {row[4] for row in rows[1:]} == {staff_dinkes.opd.code}
    assert "opd.export_submissions" in worker.log and "Traceback" not in worker.log

"""The render task: retries and gives up cleanly, and renders a queued export through a real worker."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import translation
from pypdf import PdfReader

from core import jobs
from masterplan import tasks
from masterplan.models import MasterplanExport
from masterplan.services import masterplan_export_start
from masterplan.tasks import render_masterplan_export
from mojokerto_portal.celery import app
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory, realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.services import need, redis_url
from tests.worker import running_worker, worker_database_url

Status = MasterplanExport.Status
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def export(kominfo_admin, pillars, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    ProgrammeFactory(masterplan=masterplan)
    return MasterplanExport.objects.create(masterplan=masterplan, version=1, requested_by=kominfo_admin)


def test_the_task_is_acknowledged_late_and_bounded_in_time(settings):
    assert render_masterplan_export.name == "masterplan.render_export"
    assert render_masterplan_export.acks_late and render_masterplan_export.reject_on_worker_lost
    assert render_masterplan_export.soft_time_limit == settings.CELERY_PDF_SOFT_TIME_LIMIT
    assert render_masterplan_export.time_limit == settings.CELERY_PDF_TIME_LIMIT > settings.CELERY_PDF_SOFT_TIME_LIMIT
    assert render_masterplan_export.max_retries == jobs.ATTEMPT_LIMIT - 1


@pytest.mark.parametrize("pdf_limit", ["660", "3000"])
def test_redis_hands_a_task_out_again_only_after_the_longest_render_could_run(pdf_limit):
    """A visibility timeout shorter than the hard limit would give a running render to a second worker."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mojokerto_portal.settings as s; "
            "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], s.CELERY_PDF_TIME_LIMIT)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "CELERY_PDF_SOFT_TIME_LIMIT": str(int(pdf_limit) - 60),
            "CELERY_PDF_TIME_LIMIT": pdf_limit,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    visibility, hard_limit = map(int, result.stdout.split())
    assert hard_limit == int(pdf_limit)
    assert visibility > hard_limit + jobs.retry_delay(render_masterplan_export.max_retries - 1)
    assert visibility <= hard_limit + 600  # a render lost with its worker is tried again within minutes


@pytest.mark.django_db
def test_the_task_renders_the_export(export):
    render_masterplan_export.apply(args=[export.pk])

    export.refresh_from_db()
    assert export.status == Status.DONE and export.page_count > 1


@pytest.mark.django_db
def test_a_passing_database_error_is_retried_then_the_export_is_failed(export, monkeypatch):
    calls = []

    def database_down(*, export_id):
        calls.append(export_id)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tasks, "masterplan_export_render", database_down)
    monkeypatch.setattr(jobs, "retry_delay", lambda retries: 0)

    with translation.override("en"):
        render_masterplan_export.apply(args=[export.pk])

    assert len(calls) == jobs.ATTEMPT_LIMIT
    export.refresh_from_db()
    assert export.status == Status.FAILED and "database did not answer" in export.error
    assert export.finished_at is not None


@pytest.mark.django_db
def test_a_deleted_export_is_skipped_without_error(export):
    export_id = export.pk
    export.delete()

    result = render_masterplan_export.apply(args=[export_id])

    assert result.successful()


@pytest.mark.django_db
def test_an_unreachable_queue_fails_the_export_with_the_reason(
    kominfo_admin, pillars, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    sent_tasks = []

    def broker_down(name, args=None, **options):
        sent_tasks.append((name, args))
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(app, "send_task", broker_down)
    settings.JOB_QUEUE_RETRY_SECONDS = 0  # give up at once (the retries have tests of their own)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)

    assert sent_tasks == [(render_masterplan_export.name, [export.pk])]
    export.refresh_from_db()
    assert export.status == Status.FAILED and "could not be put in the rendering queue" in export.error
    assert "broker unreachable" in export.error and export.finished_at is not None
    # A failed export no longer blocks the next one.
    assert masterplan_export_start(masterplan=masterplan, by=kominfo_admin).version == export.version + 1


def test_retries_wait_longer_each_time():
    assert 10 <= jobs.retry_delay(0) < 15 and 30 <= jobs.retry_delay(1) < 35


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_queued_export_is_rendered_by_a_real_worker_on_redis(kominfo_admin, settings, tmp_path):
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    need(app.conf.broker_url == url, "this process must queue on that Redis: set CELERY_BROKER_URL=redis://...")
    need(connection.vendor == "postgresql", "the worker process must share the test database: needs PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=20)

    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)  # queued on commit, at once here
    env = {"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(tmp_path), "CELERY_BROKER_URL": url}
    with running_worker(env) as worker:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.status in (Status.DONE, Status.FAILED) or worker.poll() is not None:
                break
            time.sleep(0.2)
    assert export.status == Status.DONE, (export.status, export.error, getattr(worker, "log", ""))
    assert export.attempts == 1 and export.progress == 100
    content = (tmp_path / export.file.name).read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(content)).pages) == export.page_count > 20
    assert "masterplan.render_export" in worker.log and "Traceback" not in worker.log

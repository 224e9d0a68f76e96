"""A worker killed in the middle of a PDF render: the export still ends with exactly one file, or fails cleanly.

Real Celery worker processes (solo pool: the main process renders) on Redis, sharing the PostgreSQL test
database. The worker is killed with SIGKILL from outside, as the kernel's OOM killer or a power cut would:
no Python code of the worker runs afterwards. The task is acknowledged late, so Redis hands it out again
once the visibility timeout has passed; CELERY_VISIBILITY_TIMEOUT makes that one second here.
"""

import io
import os
import signal
import time

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from masterplan import tasks
from masterplan.models import MasterplanExport
from masterplan.services import masterplan_export_start
from mojokerto_portal.celery import app
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.services import need, redis_url
from tests.worker import running_worker, worker_database_url

Status = MasterplanExport.Status
VISIBILITY_TIMEOUT = 1
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(settings, tmp_path):
    """The environment of the test's workers; Redis emptied of jobs left over by earlier runs."""
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    need(app.conf.broker_url == url, "this process must queue on that Redis: set CELERY_BROKER_URL=redis://...")
    need(connection.vendor == "postgresql", "the worker processes must share the test database: needs PostgreSQL")
    # A job of an earlier, interrupted run would be handed to these workers first.
    redis.Redis.from_url(url).delete("celery", "unacked", "unacked_index", "unacked_mutex")
    settings.MEDIA_ROOT = tmp_path
    return {
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(tmp_path),
        "CELERY_BROKER_URL": url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }


def wait_for(export, condition, *, worker, timeout: float):
    """Poll the export until the condition holds; fail with the worker's state if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if condition(export):
            return export
        if worker.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"export {export.status} attempt {export.attempts} ({export.error}); worker {worker.poll()}")


def kill_while_rendering(export, worker, attempt: int) -> None:
    """SIGKILL the worker once it renders the given attempt, and check that it left nothing behind."""
    wait_for(export, lambda e: e.status == Status.RENDERING and e.attempts == attempt, worker=worker, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    export.refresh_from_db()
    # Killed mid-render: the row still says rendering and no file was stored.
    assert (export.status, export.attempts, export.file.name) == (Status.RENDERING, attempt, "")
    time.sleep(VISIBILITY_TIMEOUT + 0.2)  # the next worker finds the job's delivery overdue at once


def files_in(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_a_render_killed_with_its_worker_is_finished_once_by_the_next_worker(kominfo_admin, worker_env, tmp_path):
    # Large enough that rendering takes a few seconds: the kill lands in the middle of it.
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=60)
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)

    with running_worker(worker_env) as first:
        kill_while_rendering(export, first, attempt=1)
    assert first.returncode == -signal.SIGKILL

    with running_worker(worker_env) as second:
        wait_for(export, lambda e: e.status in (Status.DONE, Status.FAILED), worker=second, timeout=90)
    assert export.status == Status.DONE, (export.error, second.log)
    assert export.attempts == 2 and export.progress == 100
    assert files_in(tmp_path) == [export.file.name]  # one PDF, no temporary file left by the killed render
    content = (tmp_path / export.file.name).read_bytes()
    assert content.startswith(b"%PDF-") and len(content) == export.size
    assert len(PdfReader(io.BytesIO(content)).pages) == export.page_count > 20
    assert MasterplanExport.objects.filter(masterplan=masterplan).count() == 1


def test_a_render_that_kills_every_worker_fails_after_the_attempt_limit(kominfo_admin, worker_env, tmp_path):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=60)
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)

    for attempt in range(1, tasks.ATTEMPT_LIMIT + 1):
        with running_worker(worker_env) as worker:
            kill_while_rendering(export, worker, attempt=attempt)

    with running_worker(worker_env) as last:
        wait_for(export, lambda e: e.status in (Status.DONE, Status.FAILED), worker=last, timeout=60)
        time.sleep(VISIBILITY_TIMEOUT + 1)  # long enough for a job still unacknowledged to be handed out again
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.attempts == tasks.ATTEMPT_LIMIT + 1  # the delivery after the limit only marked it failed
    assert str(tasks.ATTEMPT_LIMIT) in export.error  # "…interrupted 3 times…", in the worker's language
    assert export.file.name == "" and files_in(tmp_path) == []
    broker = redis.Redis.from_url(worker_env["CELERY_BROKER_URL"])
    assert broker.llen("celery") == 0 and broker.zcard("unacked_index") == 0  # acknowledged: never handed out again
    assert "Traceback" not in last.log

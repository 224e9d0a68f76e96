"""A worker killed in the middle of a PDF render: the export still ends with exactly one file, or fails cleanly.

Real Celery worker processes on Redis, sharing the PostgreSQL test database, killed with SIGKILL from
outside, as the kernel's out-of-memory killer or a power cut would: no Python code of the killed process
runs afterwards. Two cases:
- the whole worker dies (solo pool: the main process renders). The task is acknowledged late, so Redis
  hands it out again once the visibility timeout has passed; CELERY_VISIBILITY_TIMEOUT makes that one
  second here, and the next worker to start finishes it;
- a pool process of a prefork worker (what production runs) dies: its parent sees it and puts the job back
  at once (reject_on_worker_lost).
Either way the attempt count claimed in the database bounds the number of tries.
"""

import io
import os
import signal
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from pypdf import PdfReader

from core import jobs
from masterplan.models import MasterplanExport
from masterplan.services import masterplan_export_start
from mojokerto_portal.celery import app
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401
from tests.services import need, redis_url
from tests.worker import running_worker, worker_database_url

Status = MasterplanExport.Status
VISIBILITY_TIMEOUT = 1
# Enough that rendering takes seconds (the kill lands in the middle of it; checked after each kill).
PROGRAMMES = 30
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(settings, tmp_path):
    """The environment of the test's workers; Redis emptied of jobs left over by earlier runs."""
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    need(app.conf.broker_url == url, "this process must queue on that Redis: set CELERY_BROKER_URL=redis://...")
    need(connection.vendor == "postgresql", "the worker processes must share the test database: needs PostgreSQL")
    # A job of an earlier, interrupted run would be handed to these workers first.
    redis.Redis.from_url(url).delete("default", "pdf", "unacked", "unacked_index", "unacked_mutex")
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
    wait_for(export, lambda e: e.status == Status.RUNNING and e.attempts == attempt, worker=worker, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    export.refresh_from_db()
    # Killed mid-render: the row still says rendering and no file was stored.
    assert (export.status, export.attempts, export.file.name) == (Status.RUNNING, attempt, "")
    time.sleep(VISIBILITY_TIMEOUT + 0.2)  # the next worker finds the job's delivery overdue at once


def files_in(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_a_render_killed_with_its_worker_is_finished_once_by_the_next_worker(kominfo_admin, worker_env, tmp_path):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=PROGRAMMES)
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


def test_a_render_that_kills_its_process_every_time_fails_after_the_attempt_limit(kominfo_admin, worker_env, tmp_path):
    """Each delivery's pool process is killed mid-render (as an out-of-memory kill would); the fourth gives up."""
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=PROGRAMMES)
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)

    with running_worker(worker_env, pool="prefork") as worker:
        for attempt in range(1, jobs.ATTEMPT_LIMIT + 1):
            wait_for(
                export, lambda e, n=attempt: e.status == Status.RUNNING and e.attempts == n, worker=worker, timeout=60
            )
            os.kill(pool_child(worker), signal.SIGKILL)
        wait_for(export, lambda e: e.status in (Status.DONE, Status.FAILED), worker=worker, timeout=60)
        time.sleep(2)  # a job still unacknowledged would be handed out again meanwhile
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.attempts == jobs.ATTEMPT_LIMIT + 1  # the delivery after the limit only marked it failed
    assert str(jobs.ATTEMPT_LIMIT) in export.error  # "…interrupted 3 times…", in the worker's language
    assert export.file.name == "" and files_in(tmp_path) == []
    assert worker.log.count("masterplan.render_export[") and worker.log.count(" received") == jobs.ATTEMPT_LIMIT + 1
    broker = redis.Redis.from_url(worker_env["CELERY_BROKER_URL"])
    assert broker.llen("pdf") == 0 and broker.zcard("unacked_index") == 0  # acknowledged: never handed out again


def pool_child(worker) -> int:
    """Return the pid of the prefork worker's one pool process."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def test_a_killed_pool_process_gives_its_render_back_at_once_and_it_finishes_once(kominfo_admin, worker_env, tmp_path):
    """Production runs the prefork pool: the parent sees its child die and requeues the job without waiting."""
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=PROGRAMMES)
    export = masterplan_export_start(masterplan=masterplan, by=kominfo_admin)

    with running_worker({**worker_env, "CELERY_VISIBILITY_TIMEOUT": "3600"}, pool="prefork") as worker:
        wait_for(export, lambda e: e.status == Status.RUNNING and e.attempts == 1, worker=worker, timeout=60)
        os.kill(pool_child(worker), signal.SIGKILL)
        wait_for(export, lambda e: e.status in (Status.DONE, Status.FAILED), worker=worker, timeout=90)
        assert worker.poll() is None  # the worker itself lives on with a new pool process
    assert export.status == Status.DONE, (export.error, worker.log)
    assert export.attempts == 2 and "WorkerLostError" in worker.log
    assert files_in(tmp_path) == [export.file.name]
    assert (tmp_path / export.file.name).read_bytes().startswith(b"%PDF-")

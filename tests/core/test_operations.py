"""Operations: /healthz for the proxy, JSON log lines with the proxy's request id (also in the task the
request queued), and jobs queued while the broker is down are sent once it is back instead of failing."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import OperationalError, connections

from core.logs import HEADER, JsonFormatter, RequestIdFilter, current_request_id
from mojokerto_portal.celery import app
from tests.worker import running_worker

ROOT = Path(__file__).resolve().parents[2]


# --- /healthz ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_to_anyone_without_redirect_or_login_and_fast(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: every other page redirects to https://
    settings.ALLOWED_HOSTS = ["smartcity.example.go.id"]  # the proxy asks by address
    client.get("/healthz")  # the first answer opens the database connection
    started = time.monotonic()
    response = client.get("/healthz", HTTP_HOST="10.0.0.11:8000")
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain") and "Set-Cookie" not in response
    assert elapsed < 0.1, f"{elapsed * 1000:.0f} ms"
    assert client.get("/", HTTP_HOST="smartcity.example.go.id").status_code == 301  # the others still redirect


@pytest.mark.django_db
def test_healthz_says_not_ok_without_detail_when_the_database_is_down(client, monkeypatch, caplog):
    connection = connections["default"]

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="probe-1")
    assert response.status_code == 503 and response.content == b"not ok\n"
    assert "database" in caplog.text  # which part failed is in the log, not in the answer
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # ok again once the database answers


@pytest.mark.django_db
def test_healthz_says_not_ok_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"not ok\n"


# --- Request id and JSON logs ----------------------------------------------------------------------------


def json_line(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


@pytest.mark.django_db
def test_the_proxys_request_id_is_answered_and_written_on_the_requests_log_lines(client, monkeypatch, caplog):
    monkeypatch.setattr(connections["default"], "cursor", lambda *a, **k: (_ for _ in ()).throw(OperationalError()))
    with caplog.at_level(logging.WARNING, logger="core.health"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="4f1c2a9e-req")
    assert response[HEADER] == "4f1c2a9e-req"
    [record] = [r for r in caplog.records if r.name == "core.health"]
    line = json_line(record)
    assert line["request_id"] == "4f1c2a9e-req" and line["level"] == "WARNING" and line["logger"] == "core.health"
    assert "health check failed: database" in line["message"] and line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_missing_or_strange_request_id_is_replaced_by_a_new_one(client):
    made = client.get("/healthz")[HEADER]
    assert len(made) == 32 and made != client.get("/healthz")[HEADER]
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x"}\n{"level": "FAKE')[HEADER]
    assert len(hostile) == 32 and '"' not in hostile


def test_a_log_line_is_one_json_object_with_the_traceback():
    token = current_request_id.set("abc")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), None)
            record.exc_info = sys.exc_info()
        line = json_line(record)
    finally:
        current_request_id.reset(token)
    assert line["message"] == "failed here" and line["request_id"] == "abc" and "ValueError: boom" in line["exception"]


@pytest.mark.worker
def test_the_request_id_travels_into_the_task_and_its_log_lines(tmp_path):
    """A real worker on the embedded broker logs the task's lines as JSON with the id of the request that sent it."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": str(tmp_path),
        "CELERY_RESULT_BACKEND": "",
        "DEBUG": "0",
        "LOG_FORMAT": "json",
    }
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    client = (
        "import mojokerto_portal\n"
        "import django; django.setup()\n"
        "from core.logs import current_request_id\n"
        "from core.tasks import ping\n"
        f"current_request_id.set('{request_id}')\n"
        "print(ping.delay('x').get(timeout=60)['token'])\n"
    )
    with running_worker(env) as worker:
        result = subprocess.run(
            [sys.executable, "-c", client], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
        )
    assert result.returncode == 0, result.stderr + worker.log
    lines = [json.loads(line) for line in worker.log.splitlines() if line.startswith("{")]
    task_lines = [line for line in lines if line.get("request_id") == request_id]
    messages = " | ".join(line["message"] for line in task_lines)
    assert "portal.ping" in messages and "started" in messages and "ended: SUCCESS" in messages, worker.log


# --- The broker down when a job is queued ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_the_broker_is_down_stays_queued_and_is_sent_when_it_is_back(
    kominfo_admin, monkeypatch, settings
):
    from masterplan.services import masterplan_export_start
    from tests.masterplan.factories import MasterplanFactory

    settings.JOB_QUEUE_RETRY_SECONDS = 30
    attempts = []
    broker_back_at = time.monotonic() + 1.5

    def flaky_broker(name, args=None, **options):
        attempts.append(time.monotonic())
        if time.monotonic() < broker_back_at:
            raise ConnectionError("connection refused")

    monkeypatch.setattr(app, "send_task", flaky_broker)
    export = masterplan_export_start(masterplan=MasterplanFactory(created_by=kominfo_admin), by=kominfo_admin)
    export.refresh_from_db()
    assert export.status == export.Status.QUEUED and export.error == ""  # the page says it is waiting
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (not attempts or attempts[-1] < broker_back_at):
        time.sleep(0.1)
    assert len(attempts) >= 2 and attempts[-1] >= broker_back_at  # sent again until the broker took it
    export.refresh_from_db()
    assert export.status == export.Status.QUEUED and export.error == ""


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_broker_stays_down_fails_with_the_reason_after_the_time_allowed(
    kominfo_admin, monkeypatch, settings
):
    from masterplan.services import masterplan_export_start
    from tests.masterplan.factories import MasterplanFactory

    settings.JOB_QUEUE_RETRY_SECONDS = 1

    def broker_down(name, args=None, **options):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(app, "send_task", broker_down)
    export = masterplan_export_start(masterplan=MasterplanFactory(created_by=kominfo_admin), by=kominfo_admin)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status == export.Status.FAILED:
            break
        time.sleep(0.1)
    assert export.status == export.Status.FAILED and "connection refused" in export.error

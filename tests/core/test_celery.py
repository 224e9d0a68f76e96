"""The Celery task proven end to end through a real worker process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.services import need, redis_url
from tests.worker import running_worker

ROOT = Path(__file__).resolve().parents[2]


def run_ping_through_worker(env: dict) -> tuple[str, str]:
    """Start a real worker with the environment, send one ping through the broker, return the answer."""
    env = {**os.environ, **env, "DEBUG": "0"}
    token = uuid.uuid4().hex
    client = (
        "import mojokerto_portal  # the Celery app, which creates the broker folders as it publishes\n"
        "from core.tasks import ping\n"
        f"print(ping.delay('{token}').get(timeout=60)['token'])\n"
    )
    with running_worker(env) as worker:
        result = subprocess.run(
            [sys.executable, "-c", client], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
        )
    assert result.returncode == 0, result.stderr + worker.log
    assert "portal.ping" in worker.log and "succeeded" in worker.log, worker.log
    return result.stdout.strip(), token


@pytest.mark.worker
def test_ping_through_a_worker_on_the_embedded_broker(tmp_path):
    answer, token = run_ping_through_worker(
        {"CELERY_BROKER_URL": "filesystem://", "VAR_DIR": str(tmp_path), "CELERY_RESULT_BACKEND": ""}
    )
    assert answer == token


@pytest.mark.worker
def test_ping_through_a_worker_on_redis():
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    answer, token = run_ping_through_worker({"CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url})
    assert answer == token

"""Start a real Celery worker process for a test, pointed at the test database when asked."""

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    """Return a DATABASE_URL for the test database this test runs on (PostgreSQL only)."""
    settings = connection.settings_dict
    password = quote(settings.get("PASSWORD") or "", safe="")
    auth = f"{settings['USER']}:{password}@" if settings.get("USER") else ""
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


@contextlib.contextmanager
def running_worker(env: dict | None = None, *, pool: str = "solo"):
    """Run `celery worker` (solo pool, or prefork with one child) with the environment; yield the process.

    The worker is stopped after; its log is returned in process.log once stopped.
    """
    full_env = {**os.environ, "DEBUG": "0", **(env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mojokerto_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            "--hostname",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.log, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.log, _ = process.communicate()

"""The page cache across real web processes: gunicorn's workers each keep their own, none serves a stale page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from opd.models import Submission
from opd.services.submissions import submission_approve
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401
from tests.services import need
from tests.worker import ROOT, worker_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn():
    """Serve the portal on 127.0.0.1 with two gunicorn workers, each with its own in-memory page cache."""
    need(connection.vendor == "postgresql", "web processes must share the test database: needs PostgreSQL")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "CACHE_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "mojokerto_portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--worker-class", "gthread", "--threads", "2", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/akun/masuk/", timeout=2).read()
                break
            except OSError:
                assert process.poll() is None, "gunicorn stopped"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(base: str, path: str, session: str) -> tuple[str, str]:
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Page-Cache") or "", response.read().decode()


def test_after_a_commit_no_web_process_serves_the_former_page(gunicorn, kominfo_admin, staff_dinkes, pillars):
    submission = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Sensor banjir kali"))
    client = Client()
    client.force_login(kominfo_admin)
    session = client.cookies["sessionid"].value
    path = reverse("submissions:detail", args=[submission.pk])
    # Enough requests that both workers have rendered the page and answer it from their own caches.
    states = [get(gunicorn, path, session)[0] for _ in range(12)]
    assert states.count("hit") >= 8 and "Disetujui" not in get(gunicorn, path, session)[1]

    # A write in another process (this one): committed, it changes the token every worker reads.
    submission_approve(submission=Submission.objects.get(pk=submission.pk), by=kominfo_admin, reason="Lanjutkan")
    answers = [get(gunicorn, path, session) for _ in range(12)]
    assert all("Lanjutkan" in page for _, page in answers)
    assert [state for state, _ in answers].count("miss") <= 2  # each worker renders it once, then serves it

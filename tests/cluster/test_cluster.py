"""The portal on several hosts, proven on this machine with real processes on 127.0.0.1: nginx balancing two
gunicorn web servers, two Celery workers, Redis, moto's S3 server as the shared object store, and a database
of its own on the PostgreSQL server of DATABASE_URL.

The steps run in order on one cluster (each test is one step of the issue):
1. an attachment uploaded through one web server downloads through the other;
2. the worker rendering a masterplan PDF is killed (SIGKILL, its whole process group); the other worker
   finishes it, exactly one PDF object exists, and it downloads through either web server;
3. a bounded loopback load runs while web 1 reloads (SIGHUP) and then restarts: no request fails;
4. Redis stops for a few seconds: pages keep working, an export started meanwhile waits ("sedang
   disiapkan", not an error) and is written once Redis is back;
5. no object is reachable from the bucket without the portal, and /healthz says not ok while the
   database refuses connections and ok again after.
"""

import hashlib
import json
import os
import re
import signal
import statistics
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.opd.test_attachments import pdf_bytes
from tests.services import need

from .harness import BUCKET, HOST, Cluster, missing_components, port_closed

pytestmark = pytest.mark.cluster
PASSWORD = "uji-Kata-Sandi-2026"
# Enough programmes that the render takes seconds, so the kill lands in the middle of it.
PROGRAMMES = 40

SEED = textwrap.dedent(
    f"""
    from core.roles import Role
    from tests.factories import OpdFactory, UserFactory
    from tests.masterplan.factories import realistic_masterplan
    from tests.opd.submission_factories import SubmissionFactory

    admin = UserFactory(username="admin.cluster", role=Role.KOMINFO_ADMIN)
    masterplan = realistic_masterplan(admin=admin, programme_count={PROGRAMMES})
    opd = OpdFactory(code="DINKESC", name="Dinas Kesehatan Cluster", short_name="Dinkes C")
    staff = UserFactory(username="staf.cluster", role=Role.OPD_STAFF, opd=opd)
    draft = SubmissionFactory(opd=opd, created_by=staff, title="Draf dengan bukti")
    print(masterplan.pk, draft.pk)
    """
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    missing = missing_components()
    need(not missing, f"the cluster test needs {', '.join(missing)}")
    folder = tmp_path_factory.mktemp("cluster")
    folder.chmod(0o755)
    cluster = Cluster(folder=folder, admin_database_url=os.environ["DATABASE_URL"])
    try:
        cluster.start()
        masterplan_pk, draft_pk = cluster.run_manage("shell", "-c", SEED).split()[-2:]
        cluster.masterplan_pk, cluster.draft_pk = int(masterplan_pk), int(draft_pk)
        cluster.wait_for_workers()
        yield cluster
    except BaseException:
        print(cluster.logs())
        raise
    finally:
        cluster.stop()


def url(cluster: Cluster, path: str, server: str = "nginx") -> str:
    return f"http://{HOST}:{cluster.ports[server]}{path}"


def logged_in(cluster: Cluster, username: str) -> requests.Session:
    """Log in through nginx, as a person would: the form, its CSRF token, the session cookie."""
    session = requests.Session()
    login = url(cluster, "/akun/masuk/")
    page = session.get(login, timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        login, data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}, timeout=30
    )
    assert answer.status_code == 200 and "akun/masuk" not in answer.url, answer.text[:500]
    return session


def csrf(session: requests.Session, cluster: Cluster, path: str) -> str:
    page = session.get(url(cluster, path), timeout=30)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def upstream(cluster: Cluster, response: requests.Response) -> str:
    """Return which web server answered (nginx's X-Upstream header)."""
    port = int(response.headers["X-Upstream"].split(",")[-1].rsplit(":", 1)[1])
    return {cluster.ports["web1"]: "web1", cluster.ports["web2"]: "web2"}[port]


def get_from_each_web_server(session, cluster, path) -> dict[str, requests.Response]:
    """GET a path through nginx until both web servers have answered it once (round robin: a few tries)."""
    answers = {}
    for _ in range(10):
        response = session.get(url(cluster, path), timeout=60)
        answers.setdefault(upstream(cluster, response), response)
        if len(answers) == 2:
            return answers
    raise AssertionError(f"only {sorted(answers)} answered {path}")


def wait_until(condition, *, timeout: float, what: str, cluster: Cluster):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} after {timeout} s\n{cluster.logs()}")


# --- 1. Upload through one web server, download through the other -------------------------------------


def test_an_attachment_uploaded_through_one_web_server_downloads_through_the_other(cluster):
    staff = logged_in(cluster, "staf.cluster")
    detail = f"/usulan/{cluster.draft_pk}/"
    content = pdf_bytes()
    response = staff.post(
        url(cluster, f"{detail}lampiran/"),
        data={"csrfmiddlewaretoken": csrf(staff, cluster, detail), "description": "Bukti"},
        files={"file": ("bukti-cluster.pdf", content, "application/pdf")},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:500]
    uploaded_by = upstream(cluster, response)
    [(attachment_pk, name)] = cluster.query(
        "SELECT id, file FROM opd_attachment WHERE submission_id = %s", [cluster.draft_pk]
    )
    assert cluster.objects("attachments/") == [name]  # in the shared bucket, not on web 1's disk

    answers = get_from_each_web_server(staff, cluster, f"{detail}lampiran/{attachment_pk}/")
    other = "web2" if uploaded_by == "web1" else "web1"
    assert answers[other].status_code == 200 and answers[other].content == content
    assert answers[uploaded_by].content == content
    cluster.attachment_name = name


# --- 2. A worker killed mid-render ------------------------------------------------------------------------


def test_a_pdf_whose_worker_is_killed_mid_render_is_finished_once_by_the_other_worker(cluster):
    admin = logged_in(cluster, "admin.cluster")
    page = f"/masterplan/{cluster.masterplan_pk}/"
    response = admin.post(
        url(cluster, f"{page}pdf/"), data={"csrfmiddlewaretoken": csrf(admin, cluster, page)}, timeout=60
    )
    assert response.status_code == 200
    [(export_pk,)] = cluster.query(
        "SELECT id FROM masterplan_masterplanexport WHERE masterplan_id = %s", [cluster.masterplan_pk]
    )

    def status():
        [row] = cluster.query(
            "SELECT status, attempts, progress, file, sha256 FROM masterplan_masterplanexport WHERE id = %s",
            [export_pk],
        )
        return row

    task = "task masterplan.render_export["  # core.logs writes it when a worker starts the task

    def rendering_worker():
        if status()[0] != "running":
            return None
        return next((w for w in ("worker1", "worker2") if task in cluster.processes[w].text()), None)

    # Killed as soon as the render has begun: the render itself takes seconds.
    taker = wait_until(rendering_worker, timeout=90, what="no worker took the render", cluster=cluster)
    survivor = "worker2" if taker == "worker1" else "worker1"
    cluster.processes[taker].signal_group(signal.SIGKILL)  # the host dies: no code of it runs afterwards
    cluster.processes[taker].popen.wait(timeout=10)
    state, attempts, progress, *_ = status()
    print(f"worker {taker} killed mid-render at {progress}%")
    assert state == "running" and attempts == 1 and cluster.objects("masterplan/") == []

    wait_until(lambda: status()[0] in ("done", "failed"), timeout=180, what="the PDF never finished", cluster=cluster)
    state, attempts, progress, name, sha256 = status()
    assert (state, attempts, progress) == ("done", 2, 100), cluster.logs()
    assert task in cluster.processes[survivor].text()
    assert cluster.objects("masterplan/") == [name]  # exactly one PDF object
    answers = get_from_each_web_server(admin, cluster, f"{page}pdf/{export_pk}/unduh/")
    for answer in answers.values():
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
        assert hashlib.sha256(answer.content).hexdigest() == sha256
    cluster.start_worker(taker)  # the host comes back


# --- 3. A graceful restart under load ---------------------------------------------------------------------


def test_no_request_fails_while_web_1_reloads_and_restarts_under_load(cluster):
    sessions = [logged_in(cluster, "staf.cluster") for _ in range(3)]
    stop = threading.Event()
    results: list[int | str] = []
    budget = 1500  # bounded: never more requests than this, never longer than the restarts

    def load(session: requests.Session) -> None:
        while not stop.is_set() and len(results) < budget:
            try:
                results.append(session.get(url(cluster, "/usulan/"), timeout=30).status_code)
            except requests.RequestException as error:
                results.append(type(error).__name__)

    web1 = cluster.processes["web1"]
    nginx_errors = cluster.folder / "nginx" / "error.log"
    with ThreadPoolExecutor(max_workers=3) as pool:
        for session in sessions:
            pool.submit(load, session)
        time.sleep(1.5)
        web1.popen.send_signal(signal.SIGHUP)  # reload: new workers, the old ones finish their requests
        time.sleep(4)
        # The reload dropped nothing, not even a request nginx had to send again (a POST it never would).
        assert "upstream" not in nginx_errors.read_text(), nginx_errors.read_text()
        web1.popen.send_signal(signal.SIGTERM)  # stop after the requests in flight (nginx retries a GET)...
        web1.popen.wait(timeout=60)
        assert port_closed(cluster.ports["web1"])
        time.sleep(1)
        cluster.start_web("web1")  # ...and start again
        time.sleep(2)
        stop.set()
    failures = [result for result in results if result != 200]
    print(f"restart under load: {len(results)} requests, {len(failures)} failed")
    assert len(results) >= 30 and failures == [], (len(results), failures[:10])
    # Web 1 is back in the rotation once nginx tries it again (fail_timeout, 2 s here).
    served = set()
    for _ in range(40):
        served.add(upstream(cluster, sessions[0].get(url(cluster, "/usulan/"), timeout=30)))
        if served == {"web1", "web2"}:
            break
        time.sleep(0.25)
    assert served == {"web1", "web2"}


# --- 4. Redis down for a few seconds ----------------------------------------------------------------------


def test_with_redis_down_pages_work_and_an_export_waits_then_runs_when_redis_is_back(cluster):
    staff = logged_in(cluster, "staf.cluster")
    cluster.stop_redis()
    try:
        for path in ("/", "/usulan/", f"/usulan/{cluster.draft_pk}/"):
            assert staff.get(url(cluster, path), timeout=30).status_code == 200
        response = staff.post(
            url(cluster, "/usulan/ekspor/"),
            data={"csrfmiddlewaretoken": csrf(staff, cluster, "/usulan/"), "query": "status=", "file_format": "csv"},
            timeout=60,
        )
        assert response.status_code == 200 and "/usulan/ekspor/" in response.url
        assert "sedang disiapkan" in response.text and "Gagal" not in response.text
        request_id = response.history[0].headers["X-Request-ID"]
        [(export_pk, state)] = cluster.query("SELECT id, status FROM opd_submissionexport")
        assert state == "queued"
        time.sleep(3)
        page = staff.get(url(cluster, "/usulan/ekspor/"), timeout=30)
        assert page.status_code == 200 and 'data-status="queued"' in page.text and "Gagal" not in page.text
    finally:
        cluster.start_redis()

    def done():
        [(state, name)] = cluster.query("SELECT status, file FROM opd_submissionexport WHERE id = %s", [export_pk])
        assert state != "failed"
        return name if state == "done" else None

    name = wait_until(done, timeout=120, what="the export never ran after Redis came back", cluster=cluster)
    assert cluster.objects("exports/") == [name]
    download = staff.get(url(cluster, f"/usulan/ekspor/{export_pk}/unduh/"), timeout=30)
    [(rows,)] = cluster.query("SELECT row_count FROM opd_submissionexport WHERE id = %s", [export_pk])
    assert download.status_code == 200 and rows > 0 and len(download.content.decode("utf-8").splitlines()) == rows + 1
    # The request id nginx gave the request is on the worker's lines of the task it queued.
    worker_logs = cluster.processes["worker1"].text() + cluster.processes["worker2"].text()
    assert f'"request_id": "{request_id}"' in worker_logs
    web_logs = cluster.processes["web1"].text() + cluster.processes["web2"].text()
    access = [json.loads(line) for line in web_logs.splitlines() if '"gunicorn.access"' in line]
    assert any(line["request_id"] == request_id and line["method"] == "POST" for line in access)


# --- 5. The bucket is private; /healthz follows the database ------------------------------------------------


def test_no_object_is_reachable_without_the_portal(cluster):
    names = cluster.objects()
    assert any(n.startswith("attachments/") for n in names) and any(n.startswith("masterplan/") for n in names)
    for name in names:
        anonymous = requests.get(f"http://{HOST}:{cluster.ports['s3']}/{BUCKET}/{name}", timeout=10)
        assert anonymous.status_code == 403, (name, anonymous.status_code)
    # Through the proxy without a session: the login page, never the file.
    outsider = requests.get(url(cluster, "/media/" + names[0]), timeout=10)
    assert outsider.status_code == 404 and b"%PDF" not in outsider.content


def test_healthz_turns_not_ok_while_the_database_is_down_and_ok_again_after(cluster):
    for server in ("web1", "web2"):
        answer = requests.get(url(cluster, "/healthz", server), timeout=10)
        assert (answer.status_code, answer.text) == (200, "ok\n")
    timings = []
    for _ in range(20):
        started = time.monotonic()
        assert requests.get(url(cluster, "/healthz"), timeout=10).status_code == 200
        timings.append(time.monotonic() - started)
    median = statistics.median(timings)
    print(f"/healthz through nginx: median {median * 1000:.1f} ms, slowest {max(timings) * 1000:.1f} ms")
    assert median < 0.1
    cluster.set_database_available(False)
    try:
        for server in ("web1", "web2"):
            answer = requests.get(url(cluster, "/healthz", server), timeout=10)
            assert (answer.status_code, answer.text) == (503, "not ok\n")
    finally:
        cluster.set_database_available(True)
    for server in ("web1", "web2"):
        answer = requests.get(url(cluster, "/healthz", server), timeout=10)
        assert (answer.status_code, answer.text) == (200, "ok\n")
